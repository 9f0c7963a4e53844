// The EIP-1559 vectors (fixtures/eip1559-transactions.json): the committed file is what the script generates, every
// entry parses back to its fields and sender, and a real node accepts the ones it can execute with the same hash.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startAnvil, ethers } from './chain.mjs';
import { generate } from '../fixtures/eip1559.mjs';

const path = new URL('../fixtures/eip1559-transactions.json', import.meta.url);
const committed = readFileSync(path, 'utf8');
const fixtures = JSON.parse(committed);

let chain;
before(async () => { chain = await startAnvil(); });
after(async () => { await chain?.stop(); });

test('Eip1559Fixtures_Regenerated_EqualTheCommittedFile', async () => {
  assert.equal(await generate(), committed);
});

test('Eip1559Fixtures_Coverage_HasTheRequiredEdgeCases', () => {
  const txs = fixtures.transactions;
  assert.ok(txs.length >= 100);
  const has = (predicate, what) => assert.ok(txs.some(predicate), `no fixture with ${what}`);
  has((t) => t.value === '0', 'zero value');
  has((t) => t.data === '0x', 'empty data');
  has((t) => t.value === ((1n << 256n) - 1n).toString(), 'value 2^256 - 1');
  has((t) => t.chainId === '1', 'chain id 1');
  has((t) => t.chainId === '31337', 'chain id 31337');
  has((t) => t.nonce === '0', 'nonce 0');
  has((t) => BigInt(t.nonce) === BigInt(Number.MAX_SAFE_INTEGER), 'nonce 2^53 - 1');
  has((t) => t.to === null, 'contract creation');
  has((t) => t.to === ethers.ZeroAddress, 'the zero address as recipient');
  assert.equal(new Set(txs.map((t) => t.hash)).size, txs.length, 'hashes are distinct');
});

test('Eip1559Fixtures_EachEntry_ParsesBackToItsFieldsSenderAndHash', () => {
  for (const t of fixtures.transactions) {
    const tx = ethers.Transaction.from(t.signedSerialized);
    const where = `fixture ${t.index} (${t.description})`;
    assert.equal(tx.type, 2, where);
    assert.equal(tx.chainId, BigInt(t.chainId), where);
    assert.equal(BigInt(tx.nonce), BigInt(t.nonce), where);
    assert.equal(tx.maxPriorityFeePerGas, BigInt(t.maxPriorityFeePerGas), where);
    assert.equal(tx.maxFeePerGas, BigInt(t.maxFeePerGas), where);
    assert.equal(tx.gasLimit, BigInt(t.gasLimit), where);
    assert.equal(tx.to, t.to, where);
    assert.equal(tx.value, BigInt(t.value), where);
    assert.equal(tx.data, t.data, where);
    assert.deepEqual(tx.accessList, [], where);
    assert.equal(tx.unsignedSerialized, t.unsignedSerialized, where);
    assert.equal(tx.unsignedHash, t.signingHash, where);
    assert.equal(ethers.keccak256(t.unsignedSerialized), t.signingHash, where);
    assert.equal(tx.hash, t.hash, where);
    assert.equal(ethers.keccak256(t.signedSerialized), t.hash, where);
    assert.equal(tx.from, t.sender, where);
    assert.equal(new ethers.Wallet(t.privateKey).address, t.sender, where);
    assert.equal(tx.signature.r, t.signature.r, where);
    assert.equal(tx.signature.s, t.signature.s, where);
    assert.equal(tx.signature.yParity, t.signature.yParity, where);
  }
});

test('Eip1559Fixtures_LocalChainEntries_AreAcceptedByAnvilWithTheSameHash', async () => {
  const runnable = fixtures.transactions.filter((t) => t.chainId === '31337' && t.nonce === '0'
    && BigInt(t.value) === 0n && BigInt(t.maxFeePerGas) <= 100n * 10n ** 9n && BigInt(t.gasLimit) >= 21000n
    && BigInt(t.gasLimit) <= 1_000_000n && t.description !== 'random');
  assert.ok(runnable.length >= 2, 'expected the transfer and the creation edge cases');
  for (const t of runnable) {
    await chain.provider.send('anvil_setBalance', [t.sender, ethers.toQuantity(10n ** 18n)]);
    const hash = await chain.provider.send('eth_sendRawTransaction', [t.signedSerialized]);
    assert.equal(hash, t.hash, t.description);
    const receipt = await chain.provider.waitForTransaction(hash, 1, 30_000);
    assert.equal(receipt.status, 1, t.description);
    assert.equal(receipt.from, t.sender, t.description);
    if (t.to === null) {
      assert.equal(receipt.contractAddress, ethers.getCreateAddress({ from: t.sender, nonce: 0 }), t.description);
      assert.equal(await chain.provider.getCode(receipt.contractAddress), '0x602a60005260206000f3', t.description);
    }
  }
});
