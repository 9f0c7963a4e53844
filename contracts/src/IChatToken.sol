// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";

/// @title iChat token
/// @notice The ERC-20 relay operators are paid and staked in: "iChat" / "ICHAT", 18 decimals, so one iChat is 10^18
/// base units like every amount of the protocol.
/// @dev New tokens come into existence only as epoch rewards. The minter is an immutable address fixed at deployment;
/// the RewardDistributor deploys this token from its own constructor and passes itself, so no account, admin or role
/// can ever mint outside a claim against an anchored epoch root (a network's genesis allocation is the batch of an
/// epoch like any other). Holders may burn their own tokens (ERC20Burnable); RelayStaking burns what it slashes.
contract IChatToken is ERC20, ERC20Burnable {
    /// @notice The only address allowed to mint: the RewardDistributor.
    address public immutable minter;

    /// @notice `caller` tried to mint but is not the minter.
    error NotMinter(address caller);

    /// @notice The minter may not be the zero address (the token could never be minted).
    error ZeroMinter();

    /// @param minter_ The address allowed to mint, normally the deploying RewardDistributor.
    constructor(address minter_) ERC20("iChat", "ICHAT") {
        if (minter_ == address(0)) revert ZeroMinter();
        minter = minter_;
    }

    /// @notice Creates `amount` base units for `to`. Only the minter.
    /// @dev Emits the ERC-20 Transfer event from the zero address.
    function mint(address to, uint256 amount) external {
        if (msg.sender != minter) revert NotMinter(msg.sender);
        _mint(to, amount);
    }
}
