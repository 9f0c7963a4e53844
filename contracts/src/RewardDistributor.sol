// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IChatToken} from "./IChatToken.sol";

/// @title Epoch reward distributor
/// @notice Holds the Merkle root of each hourly epoch batch and mints each operator's reward when it claims its line.
/// @dev Guarantees, whatever the callers do:
/// - one root per epoch, written once by an ANCHOR_ROLE holder and never changed, so the batch an operator can prove
///   against cannot be swapped after the fact;
/// - one claim per (epoch, account), marked before the mint, minting exactly the line's `reward` to the line's
///   account, so a line pays out once and only to its operator (anyone may submit the claim: the tokens still go to
///   `account`);
/// - the leaf is exactly the one the cluster builds (docs/PROTOCOL.md, "Epoch batches and Merkle proofs"):
///   keccak256(bytes.concat(keccak256(abi.encode(account, reward, slash)))), in the tree that the npm package
///   openzeppelin/merkle-tree builds with StandardMerkleTree.of(lines, ["address", "uint256", "uint256"]), checked
///   with MerkleProof's sorted-pair hashing (verifyCalldata: MerkleProof.verify on a calldata proof).
/// The line's `slash` is not acted on here (the anchor worker applies slashes on RelayStaking), but it is part of the
/// leaf, so a claim must state it as the batch has it.
/// This contract deploys the token and is its immutable minter: minting exists only through claims.
contract RewardDistributor is AccessControl {
    /// @notice The role allowed to anchor epoch roots (the cluster's anchor worker).
    bytes32 public constant ANCHOR_ROLE = keccak256("ANCHOR_ROLE");

    /// @notice The iChat token, deployed by this contract's constructor with this contract as its minter.
    IChatToken public immutable token;

    mapping(uint256 epoch => bytes32 root) private _roots;
    mapping(uint256 epoch => mapping(address account => bool)) private _claimed;

    /// @notice The root of `epoch`'s batch was anchored.
    event Anchored(uint256 indexed epoch, bytes32 root, address indexed anchoredBy);

    /// @notice `account` was paid `reward` for `epoch` (its line also stated `slash`).
    event Claimed(uint256 indexed epoch, address indexed account, uint256 reward, uint256 slash);

    /// @notice `epoch` already has a root; roots are written once.
    error EpochAlreadyAnchored(uint256 epoch);

    /// @notice `epoch` has no root yet, so nothing can be claimed for it.
    error EpochNotAnchored(uint256 epoch);

    /// @notice The zero root is refused: it marks an epoch that was never anchored.
    error ZeroRoot(uint256 epoch);

    /// @notice `account` already claimed its line of `epoch`.
    error AlreadyClaimed(uint256 epoch, address account);

    /// @notice The proof does not lead from the line (account, reward, slash) to `epoch`'s root.
    error InvalidProof(uint256 epoch, address account, uint256 reward, uint256 slash);

    /// @notice The admin address may not be zero.
    error ZeroAdmin();

    /// @param admin Receives DEFAULT_ADMIN_ROLE and so decides who holds ANCHOR_ROLE.
    constructor(address admin) {
        if (admin == address(0)) revert ZeroAdmin();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        token = new IChatToken(address(this));
    }

    /// @notice Records `root` as the Merkle root of `epoch`'s batch. Only ANCHOR_ROLE, once per epoch.
    function anchor(uint256 epoch, bytes32 root) external onlyRole(ANCHOR_ROLE) {
        if (root == bytes32(0)) revert ZeroRoot(epoch);
        if (_roots[epoch] != bytes32(0)) revert EpochAlreadyAnchored(epoch);
        _roots[epoch] = root;
        emit Anchored(epoch, root, msg.sender);
    }

    /// @notice Pays `account` its line (account, reward, slash) of `epoch`, proved by `proof`, by minting `reward`.
    /// @param proof The sibling hashes from the leaf up to the root, as StandardMerkleTree.getProof returns them.
    function claim(uint256 epoch, address account, uint256 reward, uint256 slash, bytes32[] calldata proof) external {
        bytes32 root = _roots[epoch];
        if (root == bytes32(0)) revert EpochNotAnchored(epoch);
        if (_claimed[epoch][account]) revert AlreadyClaimed(epoch, account);
        if (!MerkleProof.verifyCalldata(proof, root, leaf(account, reward, slash))) {
            revert InvalidProof(epoch, account, reward, slash);
        }
        _claimed[epoch][account] = true;
        emit Claimed(epoch, account, reward, slash);
        if (reward != 0) token.mint(account, reward);
    }

    /// @notice The root anchored for `epoch`, or zero when none is.
    function anchoredRoot(uint256 epoch) external view returns (bytes32) {
        return _roots[epoch];
    }

    /// @notice Whether `account` has claimed its line of `epoch`.
    function claimed(uint256 epoch, address account) external view returns (bool) {
        return _claimed[epoch][account];
    }

    /// @notice The leaf hash of a batch line, as the cluster and StandardMerkleTree compute it.
    function leaf(address account, uint256 reward, uint256 slash) public pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(account, reward, slash))));
    }
}
