// Writes bytes32-multiproofs.json: multiproofs made by @openzeppelin/merkle-tree 1.0.8 itself.
// Run in a folder where `npm install @openzeppelin/merkle-tree@1.0.8 @noble/hashes@1` was done:
//   node make-multiproofs.mjs > bytes32-multiproofs.json
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { keccak_256 } from '@noble/hashes/sha3';

const hex = bytes => '0x' + Buffer.from(bytes).toString('hex');
const digest = (n, i) => hex(keccak_256(new TextEncoder().encode(`vector-digest-${n}-${i}`)));

// A small deterministic generator, so the file is the same on every run.
let seed = 12345;
const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0);

const trees = [];
for (const size of [1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 31, 32, 33, 100]) {
  const digests = Array.from({ length: size }, (_, i) => digest(size, i));
  const tree = StandardMerkleTree.of(digests.map(d => [d]), ['bytes32']);
  const subsets = [[0], [size - 1], Array.from({ length: size }, (_, i) => i)];
  if (size > 2) {
    subsets.push([size - 1, 0]);
    subsets.push(Array.from({ length: Math.floor(size / 2) }, (_, i) => i));
    subsets.push(Array.from({ length: size }, (_, i) => i).filter(i => i % 3 === 1).reverse());
    for (let k = 0; k < 3; k++) {
      const picked = new Set();
      const count = 2 + (next() % (size - 1));
      while (picked.size < Math.min(count, size)) picked.add(next() % size);
      subsets.push([...picked]);
    }
  }
  const multiproofs = subsets.map(indices => {
    const { leaves, proof, proofFlags } = tree.getMultiProof(indices);
    return { indices, leaves: leaves.map(([d]) => d), proof, proofFlags };
  });
  trees.push({ size, root: tree.root, digests, multiproofs });
}

console.log(JSON.stringify({
  description: 'Multiproofs from @openzeppelin/merkle-tree 1.0.8 StandardMerkleTree.of(values, ["bytes32"]).getMultiProof(indices). ' +
    'Digest i of a tree of size n is keccak256(utf8("vector-digest-" + n + "-" + i)); indices are positions in digests; ' +
    'leaves are the digests in the order getMultiProof returns them. Made by make-multiproofs.mjs.',
  trees,
}, null, 1));
