// RelayStaking on a real anvil: the relay threshold, the unstake delay, governance and slashing rules.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startAnvil, deploy, fund, assertRevert, events, send, increaseTime, now, TOKEN,
} from './chain.mjs';

const MINIMUM = 1_000_000n * TOKEN;
const DAY = 24n * 60n * 60n;

let chain;
before(async () => { chain = await startAnvil(); });
after(async () => { await chain?.stop(); });

/** A fresh deployment with `operator` (account 3) holding `balance` and staking `staked` of it. */
async function staked(balance, staked) {
  const deployment = await deploy(chain);
  const operator = chain.wallets[3];
  if (balance > 0n) await fund(chain, deployment, [[operator.address, balance]]);
  const { token, staking } = deployment.contracts;
  if (staked > 0n) {
    await send(token.connect(operator).approve(staking.target, staked));
    await send(staking.connect(operator).stake(staked));
  }
  return { ...deployment.contracts, operator, anchor: chain.wallets[1], governance: chain.wallets[2] };
}

test('RelayStaking_Deployed_HasDefaultMinimumStakeAndSevenDayDelay', async () => {
  const { staking } = await staked(0n, 0n);
  assert.equal(await staking.minimumStake(), MINIMUM);
  assert.equal(await staking.unstakeDelay(), 7n * DAY);
});

test('RelayStaking_StakeBelowMinimum_IsNotRelay', async () => {
  const { staking, token, operator } = await staked(2n * MINIMUM, MINIMUM - 1n);
  assert.equal(await staking.isRelay(operator.address), false);
  assert.deepEqual([...await staking.stakeOf(operator.address)], [MINIMUM - 1n, 0n, 0n]);
  assert.equal(await token.balanceOf(staking.target), MINIMUM - 1n);
  assert.equal(await token.balanceOf(operator.address), MINIMUM + 1n);
});

test('RelayStaking_TopUpToExactlyMinimumAndAbove_IsRelayAndEmitsStaked', async () => {
  const { staking, token, operator } = await staked(2n * MINIMUM, MINIMUM - 1n);
  await send(token.connect(operator).approve(staking.target, 2n));
  let receipt = await send(staking.connect(operator).stake(1n));
  assert.deepEqual(events(receipt, staking, 'Staked'), [[operator.address, 1n, MINIMUM]]);
  assert.equal(await staking.isRelay(operator.address), true);
  receipt = await send(staking.connect(operator).stake(1n));
  assert.deepEqual(events(receipt, staking, 'Staked'), [[operator.address, 1n, MINIMUM + 1n]]);
  assert.equal(await staking.isRelay(operator.address), true);
});

test('RelayStaking_StakeZeroOrWithoutApproval_Reverts', async () => {
  const { staking, token, operator } = await staked(MINIMUM, 0n);
  await assertRevert(staking.connect(operator).stake(0n), staking, 'ZeroAmount', []);
  // The token refuses the transferFrom, so its ABI decodes the error.
  await assertRevert(staking.connect(operator).stake(TOKEN), token, 'ERC20InsufficientAllowance',
    [staking.target, 0n, TOKEN]);
  assert.deepEqual([...await staking.stakeOf(operator.address)], [0n, 0n, 0n]);
});

test('RelayStaking_RequestUnstake_DropsIsRelayAtOnceAndLocksUntilDelay', async () => {
  const { staking, token, operator } = await staked(MINIMUM, MINIMUM);
  assert.equal(await staking.isRelay(operator.address), true);

  const receipt = await send(staking.connect(operator).requestUnstake(TOKEN));
  const unlockAt = BigInt((await chain.provider.getBlock(receipt.blockNumber)).timestamp) + 7n * DAY;
  assert.deepEqual(events(receipt, staking, 'UnstakeRequested'), [[operator.address, TOKEN, TOKEN, unlockAt]]);
  assert.equal(await staking.isRelay(operator.address), false, 'pending stake must not count for isRelay');
  assert.deepEqual([...await staking.stakeOf(operator.address)], [MINIMUM - TOKEN, TOKEN, unlockAt]);

  await assertRevert(staking.connect(operator).withdraw(), staking, 'UnstakeLocked');
  await increaseTime(chain.provider, 7n * DAY - 10n);
  await assertRevert(staking.connect(operator).withdraw(), staking, 'UnstakeLocked');
  assert.ok(await now(chain.provider) < unlockAt);

  await increaseTime(chain.provider, 10n);
  const withdrawn = await send(staking.connect(operator).withdraw());
  assert.deepEqual(events(withdrawn, staking, 'Withdrawn'), [[operator.address, TOKEN]]);
  assert.equal(await token.balanceOf(operator.address), TOKEN);
  assert.deepEqual([...await staking.stakeOf(operator.address)], [MINIMUM - TOKEN, 0n, 0n]);
  await assertRevert(staking.connect(operator).withdraw(), staking, 'NothingToWithdraw', [operator.address]);
});

test('RelayStaking_SecondRequest_RestartsDelayForAllPending', async () => {
  const { staking, operator } = await staked(MINIMUM, MINIMUM);
  await send(staking.connect(operator).requestUnstake(TOKEN));
  await increaseTime(chain.provider, 6n * DAY);
  await send(staking.connect(operator).requestUnstake(TOKEN));
  await increaseTime(chain.provider, 2n * DAY);
  await assertRevert(staking.connect(operator).withdraw(), staking, 'UnstakeLocked');
  await increaseTime(chain.provider, 5n * DAY);
  const receipt = await send(staking.connect(operator).withdraw());
  assert.deepEqual(events(receipt, staking, 'Withdrawn'), [[operator.address, 2n * TOKEN]]);
});

test('RelayStaking_UnstakeMoreThanActiveOrZero_Reverts', async () => {
  const { staking, operator } = await staked(MINIMUM, TOKEN);
  await assertRevert(staking.connect(operator).requestUnstake(TOKEN + 1n), staking, 'InsufficientStake',
    [operator.address, TOKEN + 1n, TOKEN]);
  await assertRevert(staking.connect(operator).requestUnstake(0n), staking, 'ZeroAmount', []);
});

test('RelayStaking_MinimumStakeChangedByGovernanceOnly_FlipsIsRelay', async () => {
  const { staking, operator, governance, anchor } = await staked(MINIMUM, MINIMUM);
  const role = await staking.GOVERNANCE_ROLE();
  for (const wallet of [operator, anchor]) {
    await assertRevert(staking.connect(wallet).setMinimumStake(MINIMUM + 1n), staking,
      'AccessControlUnauthorizedAccount', [wallet.address, role]);
  }
  assert.equal(await staking.minimumStake(), MINIMUM);

  const receipt = await send(staking.connect(governance).setMinimumStake(MINIMUM + 1n));
  assert.deepEqual(events(receipt, staking, 'MinimumStakeChanged'), [[MINIMUM, MINIMUM + 1n]]);
  assert.equal(await staking.isRelay(operator.address), false);
  await send(staking.connect(governance).setMinimumStake(MINIMUM / 2n));
  assert.equal(await staking.isRelay(operator.address), true);
  await assertRevert(staking.connect(governance).setMinimumStake(0n), staking, 'InvalidMinimumStake', [0n]);
});

test('RelayStaking_UnstakeDelayChangedByGovernanceOnly_AppliesToLaterRequests', async () => {
  const { staking, operator, governance } = await staked(MINIMUM, MINIMUM);
  await assertRevert(staking.connect(operator).setUnstakeDelay(DAY), staking, 'AccessControlUnauthorizedAccount',
    [operator.address, await staking.GOVERNANCE_ROLE()]);
  await assertRevert(staking.connect(governance).setUnstakeDelay(366n * DAY), staking, 'UnstakeDelayTooLong',
    [366n * DAY, 365n * DAY]);

  const receipt = await send(staking.connect(governance).setUnstakeDelay(DAY));
  assert.deepEqual(events(receipt, staking, 'UnstakeDelayChanged'), [[7n * DAY, DAY]]);
  await send(staking.connect(operator).requestUnstake(TOKEN));
  await increaseTime(chain.provider, DAY);
  await send(staking.connect(operator).withdraw());
});

test('RelayStaking_SlashByNonAnchor_Reverts', async () => {
  const { staking, operator, governance } = await staked(MINIMUM, MINIMUM);
  const role = await staking.ANCHOR_ROLE();
  for (const wallet of [operator, governance, chain.wallets[0]]) {
    await assertRevert(staking.connect(wallet).slash(operator.address, TOKEN, 1n), staking,
      'AccessControlUnauthorizedAccount', [wallet.address, role]);
  }
  assert.deepEqual([...await staking.stakeOf(operator.address)], [MINIMUM, 0n, 0n]);
});

test('RelayStaking_SlashTwiceForSameEpoch_ReducesStakeOnceAndBurns', async () => {
  const { staking, token, operator, anchor } = await staked(MINIMUM, MINIMUM);
  const supply = await token.totalSupply();
  const receipt = await send(staking.connect(anchor).slash(operator.address, 5n * TOKEN, 42n));
  assert.deepEqual(events(receipt, staking, 'Slashed'), [[operator.address, 42n, 5n * TOKEN, 5n * TOKEN, 0n]]);
  assert.equal(await staking.slashed(operator.address, 42n), true);
  assert.equal(await staking.isRelay(operator.address), false);
  assert.equal(await token.totalSupply(), supply - 5n * TOKEN, 'slashed tokens are burned');
  assert.equal(await token.balanceOf(staking.target), MINIMUM - 5n * TOKEN);

  await assertRevert(staking.connect(anchor).slash(operator.address, 5n * TOKEN, 42n), staking, 'AlreadySlashed',
    [operator.address, 42n]);
  assert.deepEqual([...await staking.stakeOf(operator.address)], [MINIMUM - 5n * TOKEN, 0n, 0n]);

  await send(staking.connect(anchor).slash(operator.address, TOKEN, 43n));
  assert.deepEqual([...await staking.stakeOf(operator.address)], [MINIMUM - 6n * TOKEN, 0n, 0n]);
});

test('RelayStaking_SlashBeyondActive_TakesPendingThenStopsAtZero', async () => {
  const { staking, token, operator, anchor } = await staked(MINIMUM, MINIMUM);
  const receiptUnstake = await send(staking.connect(operator).requestUnstake(MINIMUM - 10n * TOKEN));
  const [, , , unlockAt] = events(receiptUnstake, staking, 'UnstakeRequested')[0];

  const receipt = await send(staking.connect(anchor).slash(operator.address, 15n * TOKEN, 7n));
  assert.deepEqual(events(receipt, staking, 'Slashed'), [[operator.address, 7n, 15n * TOKEN, 10n * TOKEN, 5n * TOKEN]]);
  assert.deepEqual([...await staking.stakeOf(operator.address)], [0n, MINIMUM - 15n * TOKEN, unlockAt]);

  const all = await send(staking.connect(anchor).slash(operator.address, 2n * MINIMUM, 8n));
  assert.deepEqual(events(all, staking, 'Slashed'), [[operator.address, 8n, 2n * MINIMUM, 0n, MINIMUM - 15n * TOKEN]]);
  assert.deepEqual([...await staking.stakeOf(operator.address)], [0n, 0n, unlockAt]);
  assert.equal(await token.balanceOf(staking.target), 0n);
  assert.equal(await token.totalSupply(), 0n);
  await increaseTime(chain.provider, 7n * DAY);
  await assertRevert(staking.connect(operator).withdraw(), staking, 'NothingToWithdraw', [operator.address]);
});
