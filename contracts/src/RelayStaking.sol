// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IChatToken} from "./IChatToken.sol";

/// @title Relay operator staking
/// @notice Operators lock iChat here; an operator whose active stake is at least `minimumStake` may run listed relays.
/// @dev Each operator has two amounts:
/// - active: counts for `isRelay` and is slashable;
/// - pending: asked back with `requestUnstake`, no longer counts for `isRelay`, still slashable until withdrawn, and
///   withdrawable in one piece once `unlockAt` has passed.
/// Pending stake stays slashable so that an operator cannot escape a slash for an epoch it misbehaved in by asking for
/// its stake back before the batch of that epoch is anchored: the unstake delay is the window in which slashes land.
/// Each request restarts the delay for the whole pending amount (the simplest rule that keeps that window whole for
/// every token). A delay change by governance applies to later requests only.
/// A slash (ANCHOR_ROLE, once per operator and epoch) takes from active stake first, then from pending; it takes what
/// there is when the operator holds less than asked, so that a batch is never blocked by an operator that already
/// left. Slashed tokens are burned: nobody, governance included, profits from a slash.
contract RelayStaking is AccessControl {
    using SafeERC20 for IChatToken;

    /// @notice The role allowed to slash (the cluster's anchor worker, which applies each batch's slash column).
    bytes32 public constant ANCHOR_ROLE = keccak256("ANCHOR_ROLE");

    /// @notice The role allowed to change `minimumStake` and `unstakeDelay`.
    bytes32 public constant GOVERNANCE_ROLE = keccak256("GOVERNANCE_ROLE");

    /// @notice The minimum stake of a new network: 1,000,000 iChat.
    uint256 public constant DEFAULT_MINIMUM_STAKE = 1_000_000 ether;

    /// @notice The unstake delay of a new network.
    uint64 public constant DEFAULT_UNSTAKE_DELAY = 7 days;

    /// @notice The longest unstake delay governance may set, so that stake can never be locked for good.
    uint64 public constant MAX_UNSTAKE_DELAY = 365 days;

    /// @notice The staked token.
    IChatToken public immutable token;

    /// @notice The active stake an operator needs for `isRelay`, in base units.
    uint256 public minimumStake;

    /// @notice Seconds between an unstake request and the earliest withdrawal.
    uint64 public unstakeDelay;

    struct Stake {
        uint256 active;
        uint256 pending;
        uint64 unlockAt;
    }

    mapping(address operator => Stake) private _stakes;
    mapping(address operator => mapping(uint256 epoch => bool)) private _slashed;

    /// @notice `operator` locked `amount` more; its active stake is now `active`.
    event Staked(address indexed operator, uint256 amount, uint256 active);

    /// @notice `operator` moved `amount` from active to pending; `pending` can be withdrawn from `unlockAt`.
    event UnstakeRequested(address indexed operator, uint256 amount, uint256 pending, uint64 unlockAt);

    /// @notice `operator` took back its pending stake, `amount`.
    event Withdrawn(address indexed operator, uint256 amount);

    /// @notice `operator` was slashed for `epoch`: `requested` asked, `fromActive` + `fromPending` taken and burned.
    event Slashed(
        address indexed operator, uint256 indexed epoch, uint256 requested, uint256 fromActive, uint256 fromPending
    );

    /// @notice Governance changed the minimum stake.
    event MinimumStakeChanged(uint256 previous, uint256 current);

    /// @notice Governance changed the unstake delay.
    event UnstakeDelayChanged(uint64 previous, uint64 current);

    /// @notice Amounts must be above zero.
    error ZeroAmount();

    /// @notice `operator` asked to unstake `requested` but has only `active` active stake.
    error InsufficientStake(address operator, uint256 requested, uint256 active);

    /// @notice `operator` has no pending stake to withdraw.
    error NothingToWithdraw(address operator);

    /// @notice `operator`'s pending stake unlocks at `unlockAt`; the block time is `timestamp`.
    error UnstakeLocked(address operator, uint64 unlockAt, uint256 timestamp);

    /// @notice `operator` was already slashed for `epoch`; a batch slashes an operator at most once.
    error AlreadySlashed(address operator, uint256 epoch);

    /// @notice The minimum stake must be above zero (zero would make everyone a relay).
    error InvalidMinimumStake(uint256 minimumStake);

    /// @notice `delay` exceeds `maximum` seconds.
    error UnstakeDelayTooLong(uint64 delay, uint64 maximum);

    /// @notice An address given to the constructor was zero.
    error ZeroAddress();

    /// @param token_ The iChat token.
    /// @param admin Receives DEFAULT_ADMIN_ROLE (grants ANCHOR_ROLE and GOVERNANCE_ROLE) and GOVERNANCE_ROLE.
    constructor(IChatToken token_, address admin) {
        if (address(token_) == address(0) || admin == address(0)) revert ZeroAddress();
        token = token_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(GOVERNANCE_ROLE, admin);
        minimumStake = DEFAULT_MINIMUM_STAKE;
        unstakeDelay = DEFAULT_UNSTAKE_DELAY;
        emit MinimumStakeChanged(0, DEFAULT_MINIMUM_STAKE);
        emit UnstakeDelayChanged(0, DEFAULT_UNSTAKE_DELAY);
    }

    /// @notice Locks `amount` of the caller's tokens as active stake. Approve this contract for `amount` first.
    function stake(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        Stake storage s = _stakes[msg.sender];
        s.active += amount;
        emit Staked(msg.sender, amount, s.active);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice Moves `amount` of the caller's active stake to pending, withdrawable after `unstakeDelay`.
    /// @dev Restarts the delay for everything pending.
    function requestUnstake(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        Stake storage s = _stakes[msg.sender];
        if (amount > s.active) revert InsufficientStake(msg.sender, amount, s.active);
        s.active -= amount;
        s.pending += amount;
        s.unlockAt = uint64(block.timestamp) + unstakeDelay;
        emit UnstakeRequested(msg.sender, amount, s.pending, s.unlockAt);
    }

    /// @notice Sends the caller its whole pending stake, once the delay of its last request has passed.
    function withdraw() external {
        Stake storage s = _stakes[msg.sender];
        uint256 amount = s.pending;
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        if (block.timestamp < s.unlockAt) revert UnstakeLocked(msg.sender, s.unlockAt, block.timestamp);
        s.pending = 0;
        s.unlockAt = 0;
        emit Withdrawn(msg.sender, amount);
        token.safeTransfer(msg.sender, amount);
    }

    /// @notice Burns up to `amount` of `operator`'s stake for `epoch`, active stake first. Only ANCHOR_ROLE, once per
    /// (operator, epoch).
    function slash(address operator, uint256 amount, uint256 epoch) external onlyRole(ANCHOR_ROLE) {
        if (amount == 0) revert ZeroAmount();
        if (_slashed[operator][epoch]) revert AlreadySlashed(operator, epoch);
        _slashed[operator][epoch] = true;

        Stake storage s = _stakes[operator];
        uint256 fromActive = amount < s.active ? amount : s.active;
        uint256 rest = amount - fromActive;
        uint256 fromPending = rest < s.pending ? rest : s.pending;
        s.active -= fromActive;
        s.pending -= fromPending;
        emit Slashed(operator, epoch, amount, fromActive, fromPending);

        uint256 taken = fromActive + fromPending;
        if (taken != 0) token.burn(taken);
    }

    /// @notice Sets the active stake an operator needs for `isRelay`. Only GOVERNANCE_ROLE.
    function setMinimumStake(uint256 newMinimumStake) external onlyRole(GOVERNANCE_ROLE) {
        if (newMinimumStake == 0) revert InvalidMinimumStake(newMinimumStake);
        emit MinimumStakeChanged(minimumStake, newMinimumStake);
        minimumStake = newMinimumStake;
    }

    /// @notice Sets the delay of later unstake requests, at most MAX_UNSTAKE_DELAY. Only GOVERNANCE_ROLE.
    function setUnstakeDelay(uint64 newUnstakeDelay) external onlyRole(GOVERNANCE_ROLE) {
        if (newUnstakeDelay > MAX_UNSTAKE_DELAY) revert UnstakeDelayTooLong(newUnstakeDelay, MAX_UNSTAKE_DELAY);
        emit UnstakeDelayChanged(unstakeDelay, newUnstakeDelay);
        unstakeDelay = newUnstakeDelay;
    }

    /// @notice Whether `operator`'s active stake (pending stake excluded) is at least `minimumStake`.
    function isRelay(address operator) external view returns (bool) {
        return _stakes[operator].active >= minimumStake;
    }

    /// @notice `operator`'s active stake, pending stake, and when the pending stake unlocks (0 when none is pending).
    function stakeOf(address operator) external view returns (uint256 active, uint256 pending, uint64 unlockAt) {
        Stake storage s = _stakes[operator];
        return (s.active, s.pending, s.unlockAt);
    }

    /// @notice Whether `operator` was slashed for `epoch`.
    function slashed(address operator, uint256 epoch) external view returns (bool) {
        return _slashed[operator][epoch];
    }
}
