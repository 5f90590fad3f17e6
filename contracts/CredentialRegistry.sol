// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/**
 * @title CredentialRegistry, version 3
 * @notice Anchors Merkle roots of credential batches and records revocations of single credentials,
 * everything keyed by issuer: an anchor is an (issuer, root) pair and a revocation an (issuer, digest)
 * pair, so no admitted account can touch another's records. Each issuer's account is bound, when it is
 * admitted and for life, to the Ed25519 public key with which the issuer signs its credentials. Each batch is an OpenZeppelin
 * `StandardMerkleTree` with leaf encoding `["bytes32"]` over credential digests:
 * leaf = keccak256(keccak256(abi.encode(digest))), inner node = keccak256 of its two children in
 * ascending order.
 * @dev The operator (the owner, initially the deployer) admits and removes issuers. A removal names
 * the last moment the issuer's key was trusted (`trustedUntil`): anchors after it are void, which
 * contains a stolen key. Once an issuer is removed, the operator may revoke its credentials for it.
 * An account is admitted at most once, so `issuerOf` answers for every anchor whether its issuer was
 * trusted when it anchored, and an account's signing key never changes: a new key is a new account.
 */
contract CredentialRegistry is Ownable2Step {
    /// @notice The interface version this contract speaks; verifiers and the registry check it.
    uint256 public constant VERSION = 3;

    /// @notice Longest issuer name accepted, in UTF-8 bytes.
    uint256 public constant MAX_NAME_LENGTH = 256;

    /// @notice Longest revocation reason accepted, in UTF-8 bytes.
    uint256 public constant MAX_REASON_LENGTH = 256;

    // Storage is packed deliberately. `Issuer` keeps its three timestamps in its first slot (24 bytes),
    // so "is this account active" and "was it trusted at t" cost one SLOAD; the signing key has the
    // second slot to itself and is read only by `issuerOf` and `verify`. `Anchor` and `Revocation`
    // each fit one slot, so anchoring a batch of any size costs one cold SLOAD and one SSTORE of its
    // record (the optimizer reads the slot once more, warm, for 100 gas), and so does recording a
    // revocation.
    struct Issuer {
        uint64 addedAt; // 0 = never added
        uint64 removedAt; // 0 = not removed
        uint64 trustedUntil; // meaningful once removed: anchors after it are void
        bytes32 signingKey; // the issuer's Ed25519 public key; never zero once added
        string name;
    }

    struct Anchor {
        uint64 anchoredAt; // 0 = not anchored by this issuer
        uint32 count;
    }

    struct Revocation {
        uint64 revokedAt; // 0 = not revoked by this issuer
        uint64 blockNumber; // where the Revoked event with the reason is
    }

    mapping(address issuer => Issuer) private _issuers;
    mapping(address issuer => mapping(bytes32 root => Anchor)) private _anchors;
    mapping(address issuer => mapping(bytes32 digest => Revocation)) private _revocations;

    /**
     * @notice The operator admitted `issuer` under `name`, bound to the Ed25519 public key `signingKey`.
     * @param issuer The issuer's account.
     * @param name The issuer's display name.
     * @param signingKey The issuer's Ed25519 public key (32 bytes, as RFC 8032 encodes it).
     */
    event IssuerAdded(address indexed issuer, string name, bytes32 signingKey);

    /**
     * @notice The operator removed `issuer`, or lowered the moment until which it is trusted. Its anchors
     * up to `trustedUntil` stay valid; later ones are void.
     * @param issuer The issuer's account.
     * @param trustedUntil The last moment (block timestamp) at which the issuer's anchors are trusted.
     */
    event IssuerRemoved(address indexed issuer, uint64 trustedUntil);

    /**
     * @notice `issuer` anchored the Merkle root `root` of a batch of `count` credentials.
     * @param issuer The account that anchored it.
     * @param root The batch's Merkle root.
     * @param count The number of credentials in the batch, as stated by the issuer.
     */
    event Anchored(address indexed issuer, bytes32 indexed root, uint32 count);

    /**
     * @notice The credential with digest `digest`, in the batch `root` of `issuer`, was revoked: by the
     * issuer itself, or by the operator after the issuer was removed.
     * @param issuer The issuer under which the revocation is recorded (the root's issuer).
     * @param digest The credential's digest.
     * @param root The Merkle root of the credential's batch.
     * @param reason Why the credential was revoked.
     */
    event Revoked(address indexed issuer, bytes32 indexed digest, bytes32 indexed root, string reason);

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

    /// @notice An issuer needs a signing key; the zero key is no key.
    error ZeroSigningKey();

    /**
     * @notice `issuer` was already added (and perhaps removed since); an account is added at most once,
     * so its signing key never changes.
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

    /**
     * @notice `issuer` is still active: the operator revokes only for a removed issuer.
     * @param issuer The account.
     */
    error IssuerStillActive(address issuer);

    /**
     * @notice `trustedUntil` must lie between the issuer's admission and now, and a second removal may
     * only lower it.
     * @param trustedUntil The moment given.
     * @param earliest The earliest moment accepted (the issuer's `addedAt`).
     * @param latest The latest moment accepted (now, or just below the current `trustedUntil`).
     */
    error InvalidTrustedUntil(uint64 trustedUntil, uint64 earliest, uint64 latest);

    /// @notice The zero root cannot be anchored.
    error ZeroRoot();

    /// @notice A batch must hold at least one credential.
    error EmptyBatch();

    /**
     * @notice `issuer` already anchored `root`; an issuer anchors a root once.
     * @param issuer The account.
     * @param root The Merkle root.
     */
    error RootAlreadyAnchored(address issuer, bytes32 root);

    /**
     * @notice `issuer` never anchored `root`.
     * @param issuer The account.
     * @param root The Merkle root.
     */
    error RootNotAnchored(address issuer, bytes32 root);

    /**
     * @notice The Merkle proof does not lead from `digest`'s leaf to `root`.
     * @param digest The credential's digest.
     * @param root The Merkle root.
     */
    error NotInBatch(bytes32 digest, bytes32 root);

    /**
     * @notice `issuer` already revoked `digest` at `revokedAt`.
     * @param issuer The account.
     * @param digest The credential's digest.
     * @param revokedAt The timestamp of the block that revoked it.
     */
    error AlreadyRevoked(address issuer, bytes32 digest, uint64 revokedAt);

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
     * @notice Admits `issuer` under `name`, bound to the Ed25519 public key `signingKey`. Operator only.
     * An account is added at most once, removed or not, so the key it is bound to is the key for life:
     * an issuer with a new key is admitted as a new account.
     * @param issuer The issuer's account.
     * @param name The issuer's display name, 1 to 256 bytes.
     * @param signingKey The issuer's Ed25519 public key (32 bytes, as RFC 8032 encodes it); not zero.
     */
    function addIssuer(address issuer, string calldata name, bytes32 signingKey) external onlyOwner {
        if (issuer == address(0)) revert ZeroAddress();
        if (bytes(name).length == 0) revert EmptyName();
        if (bytes(name).length > MAX_NAME_LENGTH) revert NameTooLong(bytes(name).length, MAX_NAME_LENGTH);
        if (signingKey == bytes32(0)) revert ZeroSigningKey();
        Issuer storage record = _issuers[issuer];
        if (record.addedAt != 0) revert IssuerAlreadyAdded(issuer);

        record.addedAt = _now();
        record.signingKey = signingKey;
        record.name = name;
        emit IssuerAdded(issuer, name, signingKey);
    }

    /**
     * @notice Removes `issuer`: it can no longer anchor or revoke, and its anchors after `trustedUntil`
     * are void. A plain removal passes the current time, so everything anchored before stays valid;
     * after a key theft, pass the last moment the key was still safe. Calling it again for a removed
     * issuer may only lower `trustedUntil`. Operator only.
     * @param issuer The issuer's account.
     * @param trustedUntil The last moment (block timestamp) whose anchors are trusted:
     * `addedAt <= trustedUntil <= now`, and below the current value for a second call.
     */
    function removeIssuer(address issuer, uint64 trustedUntil) external onlyOwner {
        Issuer storage record = _issuers[issuer];
        uint64 addedAt = record.addedAt;
        uint64 removedAt = record.removedAt;
        if (addedAt == 0) revert UnknownIssuer(issuer);
        uint64 latest = removedAt == 0 ? _now() : record.trustedUntil - 1;
        if (trustedUntil < addedAt || trustedUntil > latest) {
            revert InvalidTrustedUntil(trustedUntil, addedAt, latest);
        }

        if (removedAt == 0) record.removedAt = _now();
        record.trustedUntil = trustedUntil;
        emit IssuerRemoved(issuer, trustedUntil);
    }

    /**
     * @notice Reads an issuer's record.
     * @param issuer The issuer's account.
     * @return name The issuer's display name ("" when never added).
     * @return addedAt The timestamp of the block that added it (0 when never added).
     * @return removedAt The timestamp of the block that removed it (0 while active).
     * @return trustedUntil The last moment whose anchors are trusted (0 while active).
     * @return signingKey The Ed25519 public key the issuer signs with (0 when never added).
     */
    function issuerOf(address issuer)
        external
        view
        returns (string memory name, uint64 addedAt, uint64 removedAt, uint64 trustedUntil, bytes32 signingKey)
    {
        Issuer storage record = _issuers[issuer];
        return (record.name, record.addedAt, record.removedAt, record.trustedUntil, record.signingKey);
    }

    /**
     * @notice Anchors the Merkle root of a batch of `count` credentials for the caller. Active issuers
     * only; each issuer anchors a root once. Costs the same for any batch size. Another issuer's
     * anchor of the same root is a record of its own and changes nothing for the caller.
     * @param root The batch's Merkle root.
     * @param count The number of credentials in the batch.
     */
    function anchor(bytes32 root, uint32 count) external {
        if (root == bytes32(0)) revert ZeroRoot();
        if (count == 0) revert EmptyBatch();
        _requireActiveIssuer(msg.sender);
        Anchor storage record = _anchors[msg.sender][root];
        if (record.anchoredAt != 0) revert RootAlreadyAnchored(msg.sender, root);

        // Two fields, one slot: the optimizer (via IR) turns these writes into a single SSTORE.
        record.anchoredAt = _now();
        record.count = count;
        emit Anchored(msg.sender, root, count);
    }

    /**
     * @notice Reads when `issuer` anchored `root`, and how many credentials the batch holds.
     * @param issuer The account.
     * @param root The Merkle root.
     * @return anchoredAt The timestamp of the anchoring block (0 = not anchored by this issuer).
     * @return count The number of credentials in the batch (0 when not anchored).
     */
    function anchorOf(address issuer, bytes32 root) external view returns (uint64 anchoredAt, uint32 count) {
        Anchor memory record = _anchors[issuer][root];
        return (record.anchoredAt, record.count);
    }

    /**
     * @notice Revokes one credential of a batch the caller anchored. Active issuers only; the digest
     * must be in `root` as `proof` shows.
     * @param root The Merkle root of the credential's batch, anchored by the caller.
     * @param digest The credential's digest.
     * @param proof The Merkle proof from the digest's leaf to `root`.
     * @param reason Why the credential is revoked, 1 to 256 bytes; public on chain.
     */
    function revoke(bytes32 root, bytes32 digest, bytes32[] calldata proof, string calldata reason) external {
        _requireActiveIssuer(msg.sender);
        _revokeOne(msg.sender, root, digest, proof, reason);
    }

    /**
     * @notice Revokes several credentials of one batch the caller anchored, proven together with one
     * OpenZeppelin multiproof. Active issuers only.
     * @param root The Merkle root of the credentials' batch, anchored by the caller.
     * @param digests The credentials' digests, in the order of the multiproof's leaves
     * (`StandardMerkleTree.getMultiProof(...).leaves`).
     * @param proof The multiproof's sibling hashes.
     * @param proofFlags The multiproof's flags.
     * @param reason Why the credentials are revoked, 1 to 256 bytes; public on chain.
     */
    function revokeMany(
        bytes32 root,
        bytes32[] calldata digests,
        bytes32[] calldata proof,
        bool[] calldata proofFlags,
        string calldata reason
    ) external {
        _requireActiveIssuer(msg.sender);
        _revokeMany(msg.sender, root, digests, proof, proofFlags, reason);
    }

    /**
     * @notice Revokes one credential for a removed issuer (an institution that closed, a key that was
     * stolen); recorded under that issuer. Operator only, and only once the issuer is removed.
     * @param issuer The removed issuer that anchored `root`.
     * @param root The Merkle root of the credential's batch.
     * @param digest The credential's digest.
     * @param proof The Merkle proof from the digest's leaf to `root`.
     * @param reason Why the credential is revoked, 1 to 256 bytes; public on chain.
     */
    function revokeFor(address issuer, bytes32 root, bytes32 digest, bytes32[] calldata proof, string calldata reason)
        external
        onlyOwner
    {
        _requireRemovedIssuer(issuer);
        _revokeOne(issuer, root, digest, proof, reason);
    }

    /**
     * @notice Revokes several credentials of one batch for a removed issuer, with one multiproof.
     * Operator only, and only once the issuer is removed.
     * @param issuer The removed issuer that anchored `root`.
     * @param root The Merkle root of the credentials' batch.
     * @param digests The credentials' digests, in the order of the multiproof's leaves.
     * @param proof The multiproof's sibling hashes.
     * @param proofFlags The multiproof's flags.
     * @param reason Why the credentials are revoked, 1 to 256 bytes; public on chain.
     */
    function revokeManyFor(
        address issuer,
        bytes32 root,
        bytes32[] calldata digests,
        bytes32[] calldata proof,
        bool[] calldata proofFlags,
        string calldata reason
    ) external onlyOwner {
        _requireRemovedIssuer(issuer);
        _revokeMany(issuer, root, digests, proof, proofFlags, reason);
    }

    /**
     * @notice Reads when `issuer` revoked `digest`, and in which block (whose `Revoked` log has the reason).
     * @param issuer The issuer under which revocations of its credentials are recorded.
     * @param digest The credential's digest.
     * @return revokedAt The timestamp of the revoking block (0 = not revoked by this issuer).
     * @return blockNumber The number of the revoking block (0 = not revoked).
     */
    function revocationOf(address issuer, bytes32 digest) external view returns (uint64 revokedAt, uint64 blockNumber) {
        Revocation memory record = _revocations[issuer][digest];
        return (record.revokedAt, record.blockNumber);
    }

    /**
     * @notice Everything a verifier asks of the chain, in one call: did `issuer` anchor `root`, is the
     * digest in it, was the issuer trusted when it anchored, has the issuer revoked the digest, and which
     * signing key is bound to the issuer.
     * @param issuer The credential's issuer.
     * @param root The Merkle root named by the credential's proof.
     * @param digest The credential's digest.
     * @param proof The Merkle proof from the digest's leaf to `root`.
     * @return included True when `issuer` anchored `root` and `proof` leads from the digest's leaf to it.
     * @return anchoredAt The timestamp of the issuer's anchor of `root` (0 when it did not anchor it).
     * @return count The number of credentials in the batch (0 when not anchored).
     * @return issuerTrusted True when the issuer was admitted when it anchored and, if removed since,
     * anchored no later than its `trustedUntil`.
     * @return revokedAt The timestamp of the issuer's revocation of the digest (0 when not revoked or not included).
     * @return signingKey The Ed25519 public key bound to `issuer`, whether or not it anchored `root`
     * (0 when the account was never added).
     */
    function verify(address issuer, bytes32 root, bytes32 digest, bytes32[] calldata proof)
        external
        view
        returns (bool included, uint64 anchoredAt, uint32 count, bool issuerTrusted, uint64 revokedAt, bytes32 signingKey)
    {
        Issuer storage issuerRecord = _issuers[issuer];
        signingKey = issuerRecord.signingKey;
        Anchor memory record = _anchors[issuer][root];
        if (record.anchoredAt == 0) return (false, 0, 0, false, 0, signingKey);
        included = MerkleProof.verifyCalldata(proof, root, _leaf(digest));
        issuerTrusted = _trustedAt(issuerRecord, record.anchoredAt);
        revokedAt = included ? _revocations[issuer][digest].revokedAt : 0;
        return (included, record.anchoredAt, record.count, issuerTrusted, revokedAt, signingKey);
    }

    function _revokeOne(address issuer, bytes32 root, bytes32 digest, bytes32[] calldata proof, string calldata reason)
        private
    {
        _requireRevocable(issuer, root, reason);
        if (!MerkleProof.verifyCalldata(proof, root, _leaf(digest))) revert NotInBatch(digest, root);
        _recordRevocation(issuer, root, digest, reason);
    }

    function _revokeMany(
        address issuer,
        bytes32 root,
        bytes32[] calldata digests,
        bytes32[] calldata proof,
        bool[] calldata proofFlags,
        string calldata reason
    ) private {
        if (digests.length == 0) revert NoDigests();
        _requireRevocable(issuer, root, reason);
        bytes32[] memory leaves = new bytes32[](digests.length);
        for (uint256 i = 0; i < digests.length; ++i) {
            leaves[i] = _leaf(digests[i]);
        }
        if (!_isWellFormedMultiProof(leaves.length, proof.length, proofFlags)) revert InvalidMultiProof(root);
        if (!MerkleProof.multiProofVerifyCalldata(proof, proofFlags, root, leaves)) revert InvalidMultiProof(root);

        // A digest listed twice fails here as AlreadyRevoked, and the whole call reverts.
        for (uint256 i = 0; i < digests.length; ++i) {
            _recordRevocation(issuer, root, digests[i], reason);
        }
    }

    /// @dev Reverts unless `issuer` anchored `root` and `reason` is acceptable.
    function _requireRevocable(address issuer, bytes32 root, string calldata reason) private view {
        if (bytes(reason).length == 0) revert ReasonRequired();
        if (bytes(reason).length > MAX_REASON_LENGTH) revert ReasonTooLong(bytes(reason).length, MAX_REASON_LENGTH);
        if (_anchors[issuer][root].anchoredAt == 0) revert RootNotAnchored(issuer, root);
    }

    /// @dev Records the revocation of `digest` under `issuer`, refusing a second one.
    function _recordRevocation(address issuer, bytes32 root, bytes32 digest, string calldata reason) private {
        Revocation storage record = _revocations[issuer][digest];
        uint64 previous = record.revokedAt;
        if (previous != 0) revert AlreadyRevoked(issuer, digest, previous);

        record.revokedAt = _now();
        record.blockNumber = uint64(block.number);
        emit Revoked(issuer, digest, root, reason);
    }

    /// @dev Reverts unless `account` was added and not removed.
    function _requireActiveIssuer(address account) private view {
        Issuer storage record = _issuers[account];
        // Both timestamps are read before any branch, so they come from one SLOAD.
        uint64 addedAt = record.addedAt;
        uint64 removedAt = record.removedAt;
        if (addedAt == 0 || removedAt != 0) revert IssuerNotActive(account);
    }

    /// @dev Reverts unless `account` was added and then removed.
    function _requireRemovedIssuer(address account) private view {
        Issuer storage record = _issuers[account];
        if (record.addedAt == 0) revert UnknownIssuer(account);
        if (record.removedAt == 0) revert IssuerStillActive(account);
    }

    /// @dev True when `record`'s issuer was admitted at `moment` and, if removed, still trusted then.
    function _trustedAt(Issuer storage record, uint64 moment) private view returns (bool) {
        uint64 addedAt = record.addedAt;
        uint64 removedAt = record.removedAt;
        uint64 trustedUntil = record.trustedUntil;
        return addedAt != 0 && addedAt <= moment && (removedAt == 0 || moment <= trustedUntil);
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
