#!/usr/bin/env node
// An independent JavaScript implementation of the iChat identity derivation and envelope format (docs/PROTOCOL.md),
// used to prove that the C# code and a client written from the document alone agree byte for byte.
//
// It shares no code with the C# side: BIP39 comes from @scure/bip39, the primitives from libsodium-wrappers (libsodium
// compiled to WebAssembly), SLIP-0010 and the envelope codec are written here from the document. Before trusting its own
// SLIP-0010 code it checks it against SLIP-0010's published ed25519 test vector 1, and its BIP39 package against the
// first published BIP39 vector.
//
//   node interop/interop.mjs                         check docs/vectors/envelope.json: regenerate every derived value from
//                                                    the file's inputs and compare, decode and open its envelope, and
//                                                    check each negative vector fails with the error it names
//   node interop/interop.mjs --verify <file>         verify and decrypt an envelope written by another implementation
//                                                    (JSON: encoded, recipientMnemonic, optional recipientPassphrase,
//                                                    recipientAccount, id); prints the result as one JSON line
//   node interop/interop.mjs --make <out> [--text T] seal T (UTF-8) now, with a random nonce, from the vector sender to
//                                                    the vector recipient, and write it as JSON for another implementation
//   node interop/interop.mjs --write-vectors         rewrite docs/vectors/envelope.json from the inputs below
//
// Exit codes: 0 all checks passed, 1 a check failed (the message says which value differed), 2 bad usage or a Node.js
// older than 20.19, 3 the npm packages are not installed.

import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(`interop: Node.js 20.19 or later is needed (the pinned @noble/hashes requires it); this is ${process.version}.\n`);
  process.exit(2);
}

let sodium;
let bip39;
let english;
try {
  sodium = (await import('libsodium-wrappers')).default;
  bip39 = await import('@scure/bip39');
  english = (await import('@scure/bip39/wordlists/english.js')).wordlist;
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  process.stderr.write(`interop: the npm packages are not installed (${error.message.split('\n')[0]}).\n`
    + 'interop: install them from the repository root with: npm ci --prefix interop\n');
  process.exit(3);
}
await sodium.ready;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vectorsPath = path.join(repoRoot, 'docs', 'vectors', 'envelope.json');

// The inputs of docs/vectors/envelope.json. Both mnemonics are published BIP39 test vectors (12 and 24 words).
const FIXTURE_INPUTS = {
  sender: {
    mnemonic: 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
    passphrase: '',
    account: 0,
  },
  recipient: {
    mnemonic: 'legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful '
      + 'legal winner thank year wave sausage worth title',
    passphrase: '',
    account: 0,
  },
  nonce: '000102030405060708090a0b0c0d0e0f1011121314151617',
  createdAtMs: 1767225600000, // 2026-01-01T00:00:00.000Z
  lifetimeMs: 3600000,
  plaintextUtf8: 'Hello from iChat! 你好 👋',
};

class CheckFailed extends Error {}
const fail = (message) => { throw new CheckFailed(message); };

const hex = (bytes) => Buffer.from(bytes).toString('hex');
const unhex = (text, what) => {
  if (typeof text !== 'string' || !/^([0-9a-f]{2})*$/.test(text)) fail(`${what} is not lowercase hex: ${text}`);
  return new Uint8Array(Buffer.from(text, 'hex'));
};
const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

// ---- SLIP-0010 for ed25519: hardened derivation only ----------------------------------------------------------------

const HARDENED = 0x80000000;

function slip10Master(seed) {
  const i = createHmac('sha512', 'ed25519 seed').update(seed).digest();
  return { key: i.subarray(0, 32), chainCode: i.subarray(32) };
}

function slip10Child(node, index) {
  if (index < HARDENED) throw new Error(`SLIP-0010 ed25519 derives hardened children only; index ${index} is not hardened`);
  const data = Buffer.alloc(37);
  node.key.copy(data, 1);
  data.writeUInt32BE(index, 33);
  const i = createHmac('sha512', node.chainCode).update(data).digest();
  return { key: i.subarray(0, 32), chainCode: i.subarray(32) };
}

function parsePath(text) {
  const parts = text.split('/');
  if (parts[0] !== 'm') throw new Error(`a derivation path starts with "m": ${text}`);
  return parts.slice(1).map((part) => {
    const match = /^(\d+)['hH]$/.exec(part);
    if (!match || Number(match[1]) >= HARDENED) throw new Error(`"${part}" in ${text} is not a hardened index below 2^31`);
    return Number(match[1]) + HARDENED;
  });
}

function slip10Derive(seed, pathText) {
  return parsePath(pathText).reduce(slip10Child, slip10Master(Buffer.from(seed)));
}

// SLIP-0010, "Test vector 1 for ed25519": seed, path, chain code, private key, public key (the spec prefixes it 0x00).
function checkSlip10Vector() {
  const seed = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
  const chain = [
    ['m', '90046a93de5380a72b5e45010748567d5ea02bbf6522f979e05c0d8d8ca9fffb',
      '2b4be7f19ee27bbf30c667b642d5f4aa69fd169872f8fc3059c08ebae2eb19e7',
      '00a4b2856bfec510abab89753fac1ac0e1112364e7d250545963f135f2a33188ed'],
    ["m/0'", '8b59aa11380b624e81507a27fedda59fea6d0b779a778918a2fd3590e16e9c69',
      '68e0fe46dfb67e368c75379acec591dad19df3cde26e63b93a8e704f1dade7a3',
      '008c8a13df77a28f3445213a0f432fde644acaa215fc72dcdf300d5efaa85d350c'],
    ["m/0'/1'", 'a320425f77d1b5c2505a6b1b27382b37368ee640e3557c315416801243552f14',
      'b1d0bad404bf35da785a64ca1ac54b2617211d2777696fbffaf208f746ae84f2',
      '001932a5270f335bed617d5b935c80aedb1a35bd9fc1e31acafd5372c30f5c1187'],
    ["m/0'/1'/2'", '2e69929e00b5ab250f49c3fb1c12f252de4fed2c1db88387094a0f8c4c9ccd6c',
      '92a5b23c0b8a99e37d07df3fb9966917f5d06e02ddbd909c7e184371463e9fc9', null],
    ["m/0'/1'/2'/2'", '8f6d87f93d750e0efccda017d662a1b31a266e4a6f5993b15f5c1f07f74dd5cc',
      '30d1dc7e5fc04c31219ab25a27ae00b50f6fd66622f6e9c913253d6511d1e662', null],
    ["m/0'/1'/2'/2'/1000000000'", '68789923a0cac2cd5a29172a475fe9e0fb14cd6adb5ad98a3fa70333e7afa230',
      '8f94d394a8e8fd6b1bc2f3f49f5c47e385281d5c17e65324b0f62483e37e8793',
      '003c24da049451555d51a7014a37337aa4e12d41e485abccfa46b47dfb2af54b7a'],
  ];
  for (const [pathText, chainCode, privateKey, publicKey] of chain) {
    const node = slip10Derive(seed, pathText);
    expectEqual(`SLIP-0010 vector 1 ${pathText} chain code`, hex(node.chainCode), chainCode);
    expectEqual(`SLIP-0010 vector 1 ${pathText} private key`, hex(node.key), privateKey);
    if (publicKey) {
      const derived = '00' + hex(sodium.crypto_sign_seed_keypair(node.key).publicKey);
      expectEqual(`SLIP-0010 vector 1 ${pathText} public key`, derived, publicKey);
    }
  }
}

// BIP39's first published vector (passphrase "TREZOR"), to show the package computes seeds as the standard says.
function checkBip39Vector() {
  const mnemonic = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
  expectEqual('BIP39 vector 1 seed', hex(bip39.mnemonicToSeedSync(mnemonic, 'TREZOR')),
    'c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04');
}

// ---- Identity --------------------------------------------------------------------------------------------------------

const chatPath = (account) => `m/44'/7337'/${account}'/0'/0'`;

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58btc(bytes) {
  let value = BigInt('0x' + (hex(bytes) || '0'));
  let text = '';
  while (value > 0n) {
    text = BASE58[Number(value % 58n)] + text;
    value /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    text = '1' + text;
  }
  return text;
}

const didKey = (publicKey) => 'did:key:z' + base58btc(Uint8Array.from([0xed, 0x01, ...publicKey]));

function identityFromMnemonic({ mnemonic, passphrase = '', account = 0 }) {
  if (!bip39.validateMnemonic(mnemonic, english)) fail(`not a valid English BIP39 mnemonic: "${mnemonic}"`);
  if (!Number.isInteger(account) || account < 0 || account >= HARDENED) fail(`account must be an integer from 0 to 2^31-1, not ${account}`);
  const bip39Seed = bip39.mnemonicToSeedSync(mnemonic, passphrase);
  const pathText = chatPath(account);
  const ed25519Seed = new Uint8Array(slip10Derive(bip39Seed, pathText).key);
  const pair = sodium.crypto_sign_seed_keypair(ed25519Seed);
  return {
    path: pathText,
    bip39Seed,
    ed25519Seed,
    publicKey: pair.publicKey,
    signingKey: pair.privateKey,
    x25519PublicKey: sodium.crypto_sign_ed25519_pk_to_curve25519(pair.publicKey),
    x25519SecretKey: sodium.crypto_sign_ed25519_sk_to_curve25519(pair.privateKey),
  };
}

// ---- Envelope, version 1 ---------------------------------------------------------------------------------------------

const DOMAIN = utf8.encode('iChat-Envelope-v1');
const VERSION = 1;
const HEADER = 109; // version 1 + sender 32 + recipient 32 + created 8 + expires 8 + nonce 24 + length 4
const MAC = 16;
const SIGNATURE = 64;
const MIN_CIPHERTEXT = MAC + 1;
const MAX_LIFETIME_MS = 6n * 3600n * 1000n;
const MAX_UNIX_MS = 253402300799999n; // 9999-12-31T23:59:59.999Z
const DEFAULT_MAX_BYTES = 64 * 1024;

class EnvelopeError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const concat = (...parts) => Uint8Array.from(Buffer.concat(parts.map((p) => Buffer.from(p))));
const signedBytesOf = (unsigned) => concat(DOMAIN, unsigned);
const messageId = (signedBytes) => sodium.crypto_generichash(32, signedBytes, null);

// Lays out the fields and signs them, enforcing no rule: the negative vectors are built with it too.
function assemble({ version = VERSION, signer, senderKey, recipientKey, createdAtMs, expiresAtMs, nonce, ciphertext, ciphertextLength }) {
  const header = Buffer.alloc(HEADER);
  header[0] = version;
  Buffer.from(senderKey).copy(header, 1);
  Buffer.from(recipientKey).copy(header, 33);
  header.writeBigUInt64BE(BigInt(createdAtMs), 65);
  header.writeBigUInt64BE(BigInt(expiresAtMs), 73);
  Buffer.from(nonce).copy(header, 81);
  header.writeUInt32BE(ciphertextLength ?? ciphertext.length, 105);
  const unsigned = concat(header, ciphertext);
  const signedBytes = signedBytesOf(unsigned);
  const signature = sodium.crypto_sign_detached(signedBytes, signer);
  return { encoded: concat(unsigned, signature), signedBytes, signature, ciphertext, id: messageId(signedBytes) };
}

function seal({ sender, recipientKey, plaintext, createdAtMs, lifetimeMs = Number(MAX_LIFETIME_MS), nonce }) {
  if (plaintext.length < 1) throw new Error('the plaintext is empty; an envelope carries at least 1 byte');
  if (lifetimeMs < 1 || BigInt(lifetimeMs) > MAX_LIFETIME_MS) throw new Error(`lifetime ${lifetimeMs} ms is outside 1 ms to 6 h`);
  const theNonce = nonce ?? sodium.randombytes_buf(24);
  const ciphertext = sodium.crypto_box_easy(plaintext, theNonce, sodium.crypto_sign_ed25519_pk_to_curve25519(recipientKey), sender.x25519SecretKey);
  return assemble({
    signer: sender.signingKey,
    senderKey: sender.publicKey,
    recipientKey,
    createdAtMs,
    expiresAtMs: createdAtMs + lifetimeMs,
    nonce: theNonce,
    ciphertext,
  });
}

// Every rule of docs/PROTOCOL.md "Validation", in the order the document gives.
function decode(encoded, maxBytes = DEFAULT_MAX_BYTES) {
  const bytes = Buffer.from(encoded);
  if (bytes.length > maxBytes) throw new EnvelopeError('TooLarge', `${bytes.length} bytes, limit ${maxBytes}`);
  if (bytes.length === 0) throw new EnvelopeError('Malformed', 'empty');
  if (bytes[0] !== VERSION) throw new EnvelopeError('UnsupportedVersion', `version ${bytes[0]}`);
  if (bytes.length < HEADER) throw new EnvelopeError('Malformed', `${bytes.length} bytes, shorter than the header`);
  const ciphertextLength = bytes.readUInt32BE(105);
  if (ciphertextLength < MIN_CIPHERTEXT) throw new EnvelopeError('Malformed', `ciphertext length ${ciphertextLength} < ${MIN_CIPHERTEXT}`);
  const expected = HEADER + ciphertextLength + SIGNATURE;
  if (bytes.length !== expected) throw new EnvelopeError('Malformed', `${bytes.length} bytes, the length field implies ${expected}`);
  const senderKey = bytes.subarray(1, 33);
  const recipientKey = bytes.subarray(33, 65);
  try {
    sodium.crypto_sign_ed25519_pk_to_curve25519(recipientKey);
  } catch {
    throw new EnvelopeError('Malformed', `recipient key ${hex(recipientKey)} is not a valid Ed25519 public key`);
  }
  const createdAtMs = bytes.readBigUInt64BE(65);
  const expiresAtMs = bytes.readBigUInt64BE(73);
  if (createdAtMs > MAX_UNIX_MS || expiresAtMs > MAX_UNIX_MS) throw new EnvelopeError('BadLifetime', 'a time is past year 9999');
  if (expiresAtMs <= createdAtMs) throw new EnvelopeError('BadLifetime', 'expires-at is not after created-at');
  if (expiresAtMs - createdAtMs > MAX_LIFETIME_MS) throw new EnvelopeError('BadLifetime', `lifetime ${expiresAtMs - createdAtMs} ms > 6 h`);
  const signedBytes = signedBytesOf(bytes.subarray(0, HEADER + ciphertextLength));
  const signature = bytes.subarray(HEADER + ciphertextLength);
  if (!sodium.crypto_sign_verify_detached(signature, signedBytes, senderKey)) throw new EnvelopeError('BadSignature', 'signature does not verify');
  return {
    senderKey: new Uint8Array(senderKey),
    recipientKey: new Uint8Array(recipientKey),
    createdAtMs: Number(createdAtMs),
    expiresAtMs: Number(expiresAtMs),
    nonce: new Uint8Array(bytes.subarray(81, 105)),
    ciphertext: new Uint8Array(bytes.subarray(HEADER, HEADER + ciphertextLength)),
    signedBytes,
    signature: new Uint8Array(signature),
    id: messageId(signedBytes),
  };
}

function open(envelope, recipient) {
  if (hex(envelope.recipientKey) !== hex(recipient.publicKey)) {
    throw new EnvelopeError('WrongRecipient', `addressed to ${hex(envelope.recipientKey)}, not ${hex(recipient.publicKey)}`);
  }
  let senderBoxKey;
  try {
    senderBoxKey = sodium.crypto_sign_ed25519_pk_to_curve25519(envelope.senderKey);
  } catch {
    throw new EnvelopeError('Undecryptable', 'the sender key has no X25519 form');
  }
  try {
    return sodium.crypto_box_open_easy(envelope.ciphertext, envelope.nonce, senderBoxKey, recipient.x25519SecretKey);
  } catch {
    throw new EnvelopeError('Undecryptable', 'the box does not open');
  }
}

// ---- The vector file -------------------------------------------------------------------------------------------------

const isoMs = (ms) => new Date(ms).toISOString();

function describeIdentity(identity) {
  return {
    path: identity.path,
    bip39Seed: hex(identity.bip39Seed),
    ed25519Seed: hex(identity.ed25519Seed),
    identity: hex(identity.publicKey),
    didKey: didKey(identity.publicKey),
    x25519PublicKey: hex(identity.x25519PublicKey),
    x25519SecretKey: hex(identity.x25519SecretKey),
  };
}

function flip(bytes, offset, mask = 0x01) {
  const copy = Uint8Array.from(bytes);
  copy[offset] ^= mask;
  return copy;
}

function buildVectors(inputs) {
  const sender = identityFromMnemonic(inputs.sender);
  const recipient = identityFromMnemonic(inputs.recipient);
  const nonce = unhex(inputs.nonce, 'inputs.nonce');
  const plaintext = utf8.encode(inputs.plaintextUtf8);
  const made = seal({ sender, recipientKey: recipient.publicKey, plaintext, createdAtMs: inputs.createdAtMs, lifetimeMs: inputs.lifetimeMs, nonce });
  const box = (message, boxNonce = nonce) => sodium.crypto_box_easy(message, boxNonce, recipient.x25519PublicKey, sender.x25519SecretKey);
  const signedBy = (fields) => assemble({
    signer: sender.signingKey,
    senderKey: sender.publicKey,
    recipientKey: recipient.publicKey,
    createdAtMs: inputs.createdAtMs,
    expiresAtMs: inputs.createdAtMs + inputs.lifetimeMs,
    nonce,
    ciphertext: made.ciphertext,
    ...fields,
  }).encoded;
  const encoded = made.encoded;
  const negative = [
    { name: 'tampered-ciphertext', description: 'The first ciphertext byte (offset 109) XOR 0x01; the signature no longer covers the bytes.',
      stage: 'decode', error: 'BadSignature', encoded: flip(encoded, HEADER) },
    { name: 'tampered-signature', description: 'The first signature byte XOR 0x01.',
      stage: 'decode', error: 'BadSignature', encoded: flip(encoded, encoded.length - SIGNATURE) },
    { name: 'tampered-expiry', description: 'The last byte of expires-at (offset 80) XOR 0x01 (one millisecond later); relays cannot change the expiry in the envelope.',
      stage: 'decode', error: 'BadSignature', encoded: flip(encoded, 80) },
    { name: 'lifetime-over-6h', description: 'expires-at = created-at + 6 h + 1 ms, correctly boxed and signed by the sender: the signature is valid, the lifetime is not.',
      stage: 'decode', error: 'BadLifetime', signatureValid: true, encoded: signedBy({ expiresAtMs: inputs.createdAtMs + 21600001 }) },
    { name: 'expires-at-created', description: 'expires-at = created-at, correctly signed.',
      stage: 'decode', error: 'BadLifetime', signatureValid: true, encoded: signedBy({ expiresAtMs: inputs.createdAtMs }) },
    { name: 'unsupported-version', description: 'Version byte 2, signed by the sender over the changed bytes.',
      stage: 'decode', error: 'UnsupportedVersion', signatureValid: true, encoded: signedBy({ version: 2 }) },
    { name: 'trailing-byte', description: 'One 0x00 byte after the signature.',
      stage: 'decode', error: 'Malformed', encoded: concat(encoded, [0]) },
    { name: 'truncated', description: 'The last signature byte missing.',
      stage: 'decode', error: 'Malformed', encoded: encoded.subarray(0, encoded.length - 1) },
    { name: 'header-only', description: 'The first 100 bytes: shorter than the 109-byte header.',
      stage: 'decode', error: 'Malformed', encoded: encoded.subarray(0, 100) },
    { name: 'empty-plaintext', description: 'A correctly boxed and signed empty plaintext: a 16-byte ciphertext (the MAC alone) is refused.',
      stage: 'decode', error: 'Malformed', signatureValid: true, encoded: signedBy({ ciphertext: box(new Uint8Array(0)) }) },
    { name: 'recipient-not-a-point', description: 'The recipient field is 32 zero bytes, a small-order point with no usable X25519 form; signed by the sender.',
      stage: 'decode', error: 'Malformed', signatureValid: true, encoded: signedBy({ recipientKey: new Uint8Array(32) }) },
    { name: 'too-large-for-limit', description: 'The valid envelope, decoded with a size limit one byte below its length.',
      stage: 'decode', error: 'TooLarge', maxBytes: encoded.length - 1, encoded },
    { name: 'undecryptable', description: 'Correctly signed, but the plaintext was boxed with a nonce other than the one in the header (nonce with its first byte XOR 0x01): it decodes, and opening fails.',
      stage: 'open', openWith: 'recipient', error: 'Undecryptable', signatureValid: true, encoded: signedBy({ ciphertext: box(plaintext, flip(nonce, 0)) }) },
    { name: 'wrong-recipient', description: 'The valid envelope, opened with the sender\'s keys instead of the recipient\'s.',
      stage: 'open', openWith: 'sender', error: 'WrongRecipient', encoded },
  ];
  return {
    about: 'Test vectors for the iChat envelope, version 1 (docs/PROTOCOL.md). Regenerate with `node interop/interop.mjs --write-vectors`; '
      + '`node interop/interop.mjs` and the C# tests check them. Every hex string is lowercase; times are Unix milliseconds.',
    inputs,
    identities: { sender: describeIdentity(sender), recipient: describeIdentity(recipient) },
    sharedKey: hex(sodium.crypto_box_beforenm(recipient.x25519PublicKey, sender.x25519SecretKey)),
    envelope: {
      createdAt: isoMs(inputs.createdAtMs),
      expiresAtMs: inputs.createdAtMs + inputs.lifetimeMs,
      expiresAt: isoMs(inputs.createdAtMs + inputs.lifetimeMs),
      plaintextHex: hex(plaintext),
      ciphertextLength: made.ciphertext.length,
      ciphertext: hex(made.ciphertext),
      signedBytes: hex(made.signedBytes),
      signature: hex(made.signature),
      encodedLength: encoded.length,
      encoded: hex(encoded),
      id: hex(made.id),
    },
    negative: negative.map(({ encoded: bytes, ...rest }) => ({ ...rest, encoded: hex(bytes) })),
  };
}

function expectEqual(what, actual, expected) {
  if (actual !== expected) fail(`${what}: expected ${expected}, got ${actual}`);
}

function expectSame(where, actual, expected) {
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') fail(`${where}: expected an object or array, the file has ${JSON.stringify(actual)}`);
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of keys) {
      if (!(key in actual)) fail(`${where}.${key}: missing from the file (expected ${JSON.stringify(expected[key])})`);
      if (!(key in expected)) fail(`${where}.${key}: in the file but not produced by this implementation`);
      expectSame(`${where}.${key}`, actual[key], expected[key]);
    }
    return;
  }
  if (actual !== expected) fail(`${where}: the file has ${JSON.stringify(actual)}, this implementation computes ${JSON.stringify(expected)}`);
}

function expectFailure(name, code, action) {
  try {
    action();
  } catch (error) {
    if (!(error instanceof EnvelopeError)) throw error;
    expectEqual(`negative vector ${name}: error`, error.code, code);
    return;
  }
  fail(`negative vector ${name}: expected ${code}, but it was accepted`);
}

function checkVectorFile() {
  checkSlip10Vector();
  checkBip39Vector();
  const file = JSON.parse(readFileSync(vectorsPath, 'utf8'));
  expectSame('envelope.json', file, buildVectors(file.inputs));

  const sender = identityFromMnemonic(file.inputs.sender);
  const recipient = identityFromMnemonic(file.inputs.recipient);
  for (const [name, identity] of Object.entries(file.identities)) {
    if (!identity.didKey.startsWith('did:key:z6Mk')) fail(`${name}.didKey: an Ed25519 did:key starts with did:key:z6Mk, not ${identity.didKey}`);
  }

  const envelope = decode(unhex(file.envelope.encoded, 'envelope.encoded'));
  expectEqual('decoded id', hex(envelope.id), file.envelope.id);
  expectEqual('decoded sender', hex(envelope.senderKey), file.identities.sender.identity);
  expectEqual('decoded recipient', hex(envelope.recipientKey), file.identities.recipient.identity);
  expectEqual('decoded created-at', envelope.createdAtMs, file.inputs.createdAtMs);
  expectEqual('decoded expires-at', envelope.expiresAtMs, file.envelope.expiresAtMs);
  expectEqual('decoded signed bytes', hex(envelope.signedBytes), file.envelope.signedBytes);
  expectEqual('opened plaintext', strictUtf8.decode(open(envelope, recipient)), file.inputs.plaintextUtf8);

  const keysByName = { sender, recipient };
  for (const vector of file.negative) {
    const bytes = unhex(vector.encoded, `negative ${vector.name}`);
    if (vector.signatureValid) {
      const signedLength = bytes.length - SIGNATURE;
      const valid = sodium.crypto_sign_verify_detached(bytes.subarray(signedLength), signedBytesOf(bytes.subarray(0, signedLength)), sender.publicKey);
      if (!valid) fail(`negative vector ${vector.name}: its signature should be valid, and is not`);
    }
    if (vector.stage === 'decode') {
      expectFailure(vector.name, vector.error, () => decode(bytes, vector.maxBytes ?? DEFAULT_MAX_BYTES));
    } else {
      const decoded = decode(bytes);
      expectFailure(vector.name, vector.error, () => open(decoded, keysByName[vector.openWith]));
    }
  }
  return `interop: ${path.relative(repoRoot, vectorsPath)} matches this implementation: identities, envelope ${file.envelope.id}, `
    + `${file.negative.length} negative vectors refused as stated`;
}

// ---- Exchanging fresh envelopes with another implementation ---------------------------------------------------------

function verifyFile(file) {
  const request = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof request.recipientMnemonic !== 'string') fail(`${file}: "recipientMnemonic" is missing`);
  const recipient = identityFromMnemonic({
    mnemonic: request.recipientMnemonic,
    passphrase: request.recipientPassphrase ?? '',
    account: request.recipientAccount ?? 0,
  });
  let envelope;
  let plaintext;
  try {
    envelope = decode(unhex(request.encoded, `${file}: encoded`), request.maxBytes ?? DEFAULT_MAX_BYTES);
    plaintext = open(envelope, recipient);
  } catch (error) {
    if (error instanceof EnvelopeError) fail(`${file}: the envelope was refused: ${error.code}: ${error.message}`);
    throw error;
  }
  if (request.id !== undefined) expectEqual(`${file}: id`, hex(envelope.id), request.id);
  let text = null;
  try {
    text = strictUtf8.decode(plaintext);
  } catch {
    // Opaque bytes that are not UTF-8: reported as hex only.
  }
  return JSON.stringify({
    id: hex(envelope.id),
    sender: hex(envelope.senderKey),
    recipient: hex(envelope.recipientKey),
    createdAtMs: envelope.createdAtMs,
    expiresAtMs: envelope.expiresAtMs,
    plaintextHex: hex(plaintext),
    plaintextUtf8: text,
  });
}

function makeFile(out, text) {
  const inputs = JSON.parse(readFileSync(vectorsPath, 'utf8')).inputs;
  const sender = identityFromMnemonic(inputs.sender);
  const recipient = identityFromMnemonic(inputs.recipient);
  const made = seal({ sender, recipientKey: recipient.publicKey, plaintext: utf8.encode(text), createdAtMs: Date.now() });
  const result = {
    encoded: hex(made.encoded),
    id: hex(made.id),
    sender: hex(sender.publicKey),
    recipient: hex(recipient.publicKey),
    plaintextUtf8: text,
  };
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  return JSON.stringify({ wrote: out, id: result.id });
}

function usage(message) {
  process.stderr.write(`interop: ${message}\n`
    + 'usage: node interop/interop.mjs [--verify <file> | --make <out.json> [--text <utf8>] | --write-vectors]\n');
  process.exit(2);
}

function main(args) {
  if (args.length === 0) return checkVectorFile();
  switch (args[0]) {
    case '--verify':
      if (args.length !== 2) usage('--verify takes one file');
      return verifyFile(args[1]);
    case '--make': {
      if (args.length !== 2 && !(args.length === 4 && args[2] === '--text')) usage('--make takes an output file and optionally --text <utf8>');
      const text = args[3] ?? `Hello from Node at ${new Date().toISOString()}`;
      if (text.length === 0) usage('--text must not be empty');
      return makeFile(args[1], text);
    }
    case '--write-vectors':
      if (args.length !== 1) usage('--write-vectors takes no argument');
      checkSlip10Vector();
      checkBip39Vector();
      writeFileSync(vectorsPath, JSON.stringify(buildVectors(FIXTURE_INPUTS), null, 2) + '\n');
      return `interop: wrote ${path.relative(repoRoot, vectorsPath)}`;
    default:
      return usage(`unknown argument ${args[0]}`);
  }
}

try {
  process.stdout.write(main(process.argv.slice(2)) + '\n');
} catch (error) {
  if (!(error instanceof CheckFailed)) throw error;
  process.stderr.write(`interop: FAILED: ${error.message}\n`);
  process.exit(1);
}
