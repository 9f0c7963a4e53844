#!/usr/bin/env node
// The reference for the epoch batch Merkle tree (docs/PROTOCOL.md, "Epoch batches and Merkle proofs"): builds the tree
// of a batch with @openzeppelin/merkle-tree's StandardMerkleTree, the package whose output the C# EpochBatchTree must
// match byte for byte, and prints what the C# tests compare.
//
//   node interop/merkle.mjs <leaves.json>
//
// <leaves.json> is a JSON array of [operator, reward, slash]: the address as "0x" and 40 hex characters, the amounts as
// decimal strings (uint256; strings because JSON numbers lose precision above 2^53). Prints one JSON line:
//   {"root": "0x…", "leafHashes": ["0x…", …], "proofs": [["0x…", …], …]}
// with leafHashes and proofs in the order of the input, and checks that the package verifies each of its own proofs.
//
// Exit codes: 0 printed, 1 the package refused the input or failed to verify its own proof, 2 bad usage, 3 the npm
// packages are not installed.

import { readFileSync } from 'node:fs';

let StandardMerkleTree;
try {
  ({ StandardMerkleTree } = await import('@openzeppelin/merkle-tree'));
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  process.stderr.write(`merkle: the npm packages are not installed (${error.message.split('\n')[0]}).\n`
    + 'merkle: install them from the repository root with: npm ci --prefix interop\n');
  process.exit(3);
}

const LEAF_ENCODING = ['address', 'uint256', 'uint256'];

const args = process.argv.slice(2);
if (args.length !== 1) {
  process.stderr.write('usage: node interop/merkle.mjs <leaves.json>\n');
  process.exit(2);
}

try {
  const values = JSON.parse(readFileSync(args[0], 'utf8')).map(([operator, reward, slash]) => [operator, BigInt(reward), BigInt(slash)]);
  const tree = StandardMerkleTree.of(values, LEAF_ENCODING);
  const proofs = values.map((_, index) => tree.getProof(index));
  values.forEach((value, index) => {
    if (!StandardMerkleTree.verify(tree.root, LEAF_ENCODING, value, proofs[index])) {
      throw new Error(`the package does not verify its own proof of leaf ${index}`);
    }
  });
  process.stdout.write(JSON.stringify({
    root: tree.root,
    leafHashes: values.map((value) => tree.leafHash(value)),
    proofs,
  }) + '\n');
} catch (error) {
  process.stderr.write(`merkle: FAILED: ${error.message}\n`);
  process.exit(1);
}
