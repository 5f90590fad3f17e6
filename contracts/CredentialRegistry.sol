// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/**
 * @title CredentialRegistry
 * @notice Anchors Merkle roots of credential batches and records revocations of single credentials.
 * Each batch is an OpenZeppelin `StandardMerkleTree` with leaf encoding `["bytes32"]` over credential
 * digests: leaf = keccak256(keccak256(abi.encode(digest))), inner node = keccak256 of its two children
 * in ascending order. The operator (the owner, initially the deployer) admits and removes issuers;
 * an active issuer anchors roots and revokes credentials of the roots it anchored.
 * @dev A removed issuer stays removed: it cannot be added again, so `issuerOf` tells for every
 * anchor whether its issuer was active when it anchored (`addedAt <= anchoredAt < removedAt`).
 */
contract CredentialRegistry is Ownable2Step {
    /// @notice Longest issuer name accepted, in UTF-8 bytes.
    uint256 public constant MAX_NAME_LENGTH = 256;

    /// @notice Longest revocation reason accepted, in UTF-8 bytes.
    uint256 public constant MAX_REASON_LENGTH = 256;

    // Storage is packed deliberately. `Issuer` keeps both timestamps in its first slot, so the
    // "is this account an active issuer" check costs one SLOAD. `Anchor` is 20 + 8 + 4 = 32 bytes,
    // exactly one slot, so anchoring a batch of any size is one SLOAD and one SSTORE.
    struct Issuer {
        uint64 addedAt; // 0 = never added
        uint64 removedAt; // 0 = not removed
        string name;
    }

    struct Anchor {
        address issuer;
        uint64 anchoredAt; // 0 = unknown root
        uint32 count;
    }

    mapping(address issuer => Issuer) private _issuers;
    mapping(bytes32 root => Anchor) private _anchors;
    mapping(bytes32 digest => uint64 revokedAt) private _revocations;

    /**
     * @notice The operator admitted `issuer` under `name`.
     * @param issuer The issuer's account.
     * @param name The issuer's display name.
     */
    event IssuerAdded(address indexed issuer, string name);

    /**
     * @notice The operator removed `issuer`; its earlier anchors stay readable.
     * @param issuer The issuer's account.
     */
    event IssuerRemoved(address indexed issuer);

    /**
     * @notice `issuer` anchored the Merkle root `root` of a batch of `count` credentials.
     * @param root The batch's Merkle root.
     * @param issuer The account that anchored it.
     * @param count The number of credentials in the batch, as stated by the issuer.
     */
    event Anchored(bytes32 indexed root, address indexed issuer, uint32 count);

    /**
     * @notice `issuer` revoked the credential with digest `digest`.
     * @param digest The credential's digest.
     * @param issuer The issuer that anchored the credential's batch and revoked it.
     * @param reason Why the credential was revoked.
     */
    event Revoked(bytes32 indexed digest, address indexed issuer, string reason);

    /// @notice The zero address cannot be an issuer.
    error ZeroAddress();

    /// @notice An issuer needs a non-empty name.
    error EmptyName();

    /**
     * @notice The issuer name is longer than allowed.
     * @param length The name's length in bytes.
     * @param max The longest name accepted, in bytes.
     */
    error NameTooLong(uint256 length, uint256 max);

    /**
     * @notice `issuer` was already added (and perhaps removed since); an account is added at most once.
     * @param issuer The issuer's account.
     */
    error IssuerAlreadyAdded(address issuer);

    /**
     * @notice `issuer` was never added.
     * @param issuer The account.
     */
    error UnknownIssuer(address issuer);

    /**
     * @notice `issuer` is not an active issuer: it was never added, or it was removed.
     * @param issuer The account.
     */
    error IssuerNotActive(address issuer);

    /// @notice The zero root cannot be anchored.
    error ZeroRoot();

    /// @notice A batch must hold at least one credential.
    error EmptyBatch();

    /**
     * @notice `root` was already anchored by `issuer`; a root anchors once.
     * @param root The Merkle root.
     * @param issuer The account that anchored it.
     */
    error RootAlreadyAnchored(bytes32 root, address issuer);

    /**
     * @notice `root` was never anchored.
     * @param root The Merkle root.
     */
    error UnknownRoot(bytes32 root);

    /**
     * @notice `caller` did not anchor `root`, so it cannot revoke credentials of that batch.
     * @param root The Merkle root.
     * @param caller The account that tried to revoke.
     */
    error NotRootIssuer(bytes32 root, address caller);

    /**
     * @notice The Merkle proof does not lead from `digest`'s leaf to `root`.
     * @param digest The credential's digest.
     * @param root The Merkle root.
     */
    error NotInBatch(bytes32 digest, bytes32 root);

    /**
     * @notice `digest` was already revoked at `revokedAt`.
     * @param digest The credential's digest.
     * @param revokedAt The timestamp of the block that revoked it.
     */
    error AlreadyRevoked(bytes32 digest, uint64 revokedAt);

    /// @notice A revocation needs a non-empty reason.
    error ReasonRequired();

    /**
     * @notice The revocation reason is longer than allowed.
     * @param length The reason's length in bytes.
     * @param max The longest reason accepted, in bytes.
     */
    error ReasonTooLong(uint256 length, uint256 max);

    /// @notice A batch revocation needs at least one digest.
    error NoDigests();

    /**
     * @notice The multiproof does not prove all the given digests to be in `root`.
     * @param root The Merkle root.
     */
    error InvalidMultiProof(bytes32 root);

    /// @notice The registry always has an operator: renouncing the role is disabled.
    error OperatorRequired();

    /// @notice The deployer becomes the operator.
    constructor() Ownable(msg.sender) {}

    /**
     * @notice Disabled: without an operator no compromised issuer could ever be removed. Hand the
     * role over with `transferOwnership` and `acceptOwnership` instead.
     */
    function renounceOwnership() public view override onlyOwner {
        revert OperatorRequired();
    }

    /**
     * @notice Admits `issuer` under `name`. Operator only. An account is added at most once.
     * @param issuer The issuer's account.
     * @param name The issuer's display name, 1 to 256 bytes.
     */
    function addIssuer(address issuer, string calldata name) external onlyOwner {
        if (issuer == address(0)) revert ZeroAddress();
        if (bytes(name).length == 0) revert EmptyName();
        if (bytes(name).length > MAX_NAME_LENGTH) revert NameTooLong(bytes(name).length, MAX_NAME_LENGTH);
        Issuer storage record = _issuers[issuer];
        if (record.addedAt != 0) revert IssuerAlreadyAdded(issuer);

        record.addedAt = _now();
        record.name = name;
        emit IssuerAdded(issuer, name);
    }

    /**
     * @notice Removes `issuer`: it can no longer anchor or revoke. Its earlier anchors stay readable.
     * Operator only.
     * @param issuer The issuer's account.
     */
    function removeIssuer(address issuer) external onlyOwner {
        Issuer storage record = _issuers[issuer];
        if (record.addedAt == 0) revert UnknownIssuer(issuer);
        if (record.removedAt != 0) revert IssuerNotActive(issuer);

        record.removedAt = _now();
        emit IssuerRemoved(issuer);
    }

    /**
     * @notice Reads an issuer's record.
     * @param issuer The issuer's account.
     * @return name The issuer's display name ("" when never added).
     * @return addedAt The timestamp of the block that added it (0 when never added).
     * @return removedAt The timestamp of the block that removed it (0 while active).
     */
    function issuerOf(address issuer) external view returns (string memory name, uint64 addedAt, uint64 removedAt) {
        Issuer storage record = _issuers[issuer];
        return (record.name, record.addedAt, record.removedAt);
    }

    /**
     * @notice Anchors the Merkle root of a batch of `count` credentials. Active issuers only; a root
     * anchors once. Costs the same for any batch size.
     * @param root The batch's Merkle root.
     * @param count The number of credentials in the batch.
     */
    function anchor(bytes32 root, uint32 count) external {
        if (root == bytes32(0)) revert ZeroRoot();
        if (count == 0) revert EmptyBatch();
        _requireActiveIssuer(msg.sender);
        Anchor storage record = _anchors[root];
        if (record.anchoredAt != 0) revert RootAlreadyAnchored(root, record.issuer);

        // Three fields, one slot: the optimizer (via IR) turns these writes into a single SSTORE.
        record.issuer = msg.sender;
        record.anchoredAt = _now();
        record.count = count;
        emit Anchored(root, msg.sender, count);
    }

    /**
     * @notice Reads who anchored `root`, when, and how many credentials the batch holds.
     * @param root The Merkle root.
     * @return issuer The account that anchored it (zero when unknown).
     * @return anchoredAt The timestamp of the anchoring block (0 = unknown root).
     * @return count The number of credentials in the batch (0 when unknown).
     */
    function anchorOf(bytes32 root) external view returns (address issuer, uint64 anchoredAt, uint32 count) {
        Anchor memory record = _anchors[root];
        return (record.issuer, record.anchoredAt, record.count);
    }

    /**
     * @notice Revokes one credential. Only the active issuer that anchored `root`, and only for a
     * digest that `proof` shows to be in `root`.
     * @param digest The credential's digest.
     * @param root The Merkle root of the credential's batch.
     * @param proof The Merkle proof from the digest's leaf to `root`.
     * @param reason Why the credential is revoked, 1 to 256 bytes; public on chain.
     */
    function revoke(bytes32 digest, bytes32 root, bytes32[] calldata proof, string calldata reason) external {
        _requireRevocationRights(root, reason);
        if (!MerkleProof.verifyCalldata(proof, root, _leaf(digest))) revert NotInBatch(digest, root);

        _recordRevocation(digest, reason);
    }

    /**
     * @notice Revokes several credentials of one batch, proven together with one OpenZeppelin
     * multiproof. Only the active issuer that anchored `root`.
     * @param digests The credentials' digests, in the order of the multiproof's leaves
     * (`StandardMerkleTree.getMultiProof(...).leaves`).
     * @param root The Merkle root of the credentials' batch.
     * @param proof The multiproof's sibling hashes.
     * @param proofFlags The multiproof's flags.
     * @param reason Why the credentials are revoked, 1 to 256 bytes; public on chain.
     */
    function revokeMany(
        bytes32[] calldata digests,
        bytes32 root,
        bytes32[] calldata proof,
        bool[] calldata proofFlags,
        string calldata reason
    ) external {
        if (digests.length == 0) revert NoDigests();
        _requireRevocationRights(root, reason);
        bytes32[] memory leaves = new bytes32[](digests.length);
        for (uint256 i = 0; i < digests.length; ++i) {
            leaves[i] = _leaf(digests[i]);
        }
        if (!_isWellFormedMultiProof(leaves.length, proof.length, proofFlags)) revert InvalidMultiProof(root);
        if (!MerkleProof.multiProofVerifyCalldata(proof, proofFlags, root, leaves)) revert InvalidMultiProof(root);

        // A digest listed twice fails here as AlreadyRevoked, and the whole call reverts.
        for (uint256 i = 0; i < digests.length; ++i) {
            _recordRevocation(digests[i], reason);
        }
    }

    /**
     * @notice Reads when a credential was revoked.
     * @param digest The credential's digest.
     * @return The timestamp of the block that revoked it (0 = not revoked).
     */
    function revokedAt(bytes32 digest) external view returns (uint64) {
        return _revocations[digest];
    }

    /**
     * @notice Checks a credential in one call: is its digest in an anchored root, who anchored the
     * root and when, and was it revoked.
     * @param digest The credential's digest.
     * @param root The Merkle root named by the credential's proof.
     * @param proof The Merkle proof from the digest's leaf to `root`.
     * @return included True when `root` is anchored and `proof` leads from the digest's leaf to it.
     * @return issuer The account that anchored `root` (zero when the root is unknown).
     * @return anchoredAt The timestamp of the anchoring block (0 when the root is unknown).
     * @return revokedAt The timestamp of the digest's revocation (0 when not revoked or not included).
     */
    // The output name `revokedAt` repeats the getter's name on purpose: it is part of the interface
    // that verifiers decode by name. solc warns that the two names are the same; that is harmless.
    function verify(bytes32 digest, bytes32 root, bytes32[] calldata proof)
        external
        view
        returns (bool included, address issuer, uint64 anchoredAt, uint64 revokedAt)
    {
        Anchor memory record = _anchors[root];
        if (record.anchoredAt == 0) return (false, address(0), 0, 0);
        included = MerkleProof.verifyCalldata(proof, root, _leaf(digest));
        return (included, record.issuer, record.anchoredAt, included ? _revocations[digest] : 0);
    }

    /// @dev Reverts unless the caller may revoke credentials of `root` with `reason`.
    function _requireRevocationRights(bytes32 root, string calldata reason) private view {
        if (bytes(reason).length == 0) revert ReasonRequired();
        if (bytes(reason).length > MAX_REASON_LENGTH) revert ReasonTooLong(bytes(reason).length, MAX_REASON_LENGTH);
        Anchor storage record = _anchors[root];
        if (record.anchoredAt == 0) revert UnknownRoot(root);
        if (record.issuer != msg.sender) revert NotRootIssuer(root, msg.sender);
        _requireActiveIssuer(msg.sender);
    }

    /// @dev Records the revocation of `digest` by the caller, refusing a second one.
    function _recordRevocation(bytes32 digest, string calldata reason) private {
        uint64 previous = _revocations[digest];
        if (previous != 0) revert AlreadyRevoked(digest, previous);

        _revocations[digest] = _now();
        emit Revoked(digest, msg.sender, reason);
    }

    /// @dev Reverts unless `account` was added and not removed.
    function _requireActiveIssuer(address account) private view {
        Issuer storage record = _issuers[account];
        // Both timestamps are read before any branch, so they come from one SLOAD.
        uint64 addedAt = record.addedAt;
        uint64 removedAt = record.removedAt;
        if (addedAt == 0 || removedAt != 0) revert IssuerNotActive(account);
    }

    /**
     * @dev The shape checks of OpenZeppelin's multiproof algorithm, done up front so that every bad
     * multiproof fails with InvalidMultiProof instead of a library error or an out-of-bounds panic:
     * each flag consumes one hash from the proof (false) or merges two queued hashes (true), so a
     * multiproof over n leaves has n + proof length - 1 flags, n - 1 of them true.
     */
    function _isWellFormedMultiProof(uint256 leafCount, uint256 proofLength, bool[] calldata proofFlags)
        private
        pure
        returns (bool)
    {
        if (leafCount + proofLength != proofFlags.length + 1) return false;
        uint256 merges = 0;
        for (uint256 i = 0; i < proofFlags.length; ++i) {
            if (proofFlags[i]) ++merges;
        }
        return merges == leafCount - 1;
    }

    /// @dev The leaf of `digest` in a `StandardMerkleTree` with leaf encoding ["bytes32"].
    function _leaf(bytes32 digest) private pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(digest))));
    }

    /// @dev Block timestamps fit in 64 bits for the next 500 billion years.
    function _now() private view returns (uint64) {
        return uint64(block.timestamp);
    }
}
