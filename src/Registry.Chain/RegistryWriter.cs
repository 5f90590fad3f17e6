using System.Globalization;
using System.Numerics;
using Nethereum.Hex.HexTypes;
using Nethereum.Util;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Registry.Anchoring;
using Registry.Chain.Contract;
using Registry.Hashing;

namespace Registry.Chain;

/// <summary>The EIP-1559 fees of a transaction, in wei per gas.</summary>
public sealed record TransactionFees(BigInteger MaxFeePerGas, BigInteger MaxPriorityFeePerGas);

/// <summary>A signed transaction not yet sent: its hash, its bytes, and what it was signed with.</summary>
public sealed record SignedTransaction(string Hash, string Raw, long Nonce, long Gas, TransactionFees Fees);

/// <summary>A CredentialRegistry just deployed, and the transaction that created it.</summary>
public sealed record DeployedContract(string Address, string TransactionHash, long BlockNumber, long GasUsed);

/// <summary>What the anchoring loop needs of an issuer's account: an <c>anchor(root, count)</c> priced and signed, not sent.</summary>
public interface IAnchorSigner
{
    /// <summary>The gas <c>anchor(root, count)</c> takes from this account now; a call the contract would refuse throws its error.</summary>
    Task<long> EstimateAnchorGasAsync(Bytes32 root, uint count);

    /// <summary>Signs <c>anchor(root, count)</c> with the nonce, gas and fees given, without sending it.</summary>
    Task<SignedTransaction> SignAnchorAsync(Bytes32 root, uint count, long nonce, long gas, TransactionFees fees);
}

/// <summary>Sends the contract's transactions signed by one account: the operator's or an issuer's.</summary>
public sealed class RegistryWriter : IAnchorSigner
{
    private readonly Web3 _web3;
    private readonly Account _account;

    public RegistryWriter(ChainConnection connection, string privateKey, long chainId, string contract)
    {
        DevelopmentChain.RefusePublicKeyOffLocalChain(privateKey, chainId);
        _account = new Account(privateKey, chainId);
        _web3 = new Web3(_account, connection.RpcUrl.ToString());
        Address = DevelopmentChain.AddressOf(privateKey);
        Contract = contract.ToLowerInvariant();
    }

    public string Address { get; }
    public string Contract { get; }

    /// <summary>
    /// Deploys a new CredentialRegistry owned by <paramref name="privateKey"/>'s account. Refuses, naming the
    /// account, a public development key off the local chain and a balance that cannot pay for the
    /// deployment at the current fee. <paramref name="sent"/> is told the transaction hash as soon as the
    /// node has accepted it, before it is mined.
    /// </summary>
    public static async Task<DeployedContract> DeployAsync(ChainConnection connection, string privateKey, long chainId, Action<string>? sent = null)
    {
        DevelopmentChain.RefusePublicKeyOffLocalChain(privateKey, chainId);
        var account = DevelopmentChain.AddressOf(privateKey);
        var web3 = connection.SignerFor(privateKey, chainId);
        var handler = web3.Eth.GetContractDeploymentHandler<RegistryDeployment>();
        var deployment = new RegistryDeployment();
        await RefuseUnaffordableDeploymentAsync(web3, await handler.EstimateGasAsync(deployment), account, chainId);
        var hash = (await Guard(() => handler.SendRequestAsync(deployment))).ToLowerInvariant();
        sent?.Invoke(hash);
        var receipt = await web3.TransactionReceiptPolling.PollForReceiptAsync(hash);
        var mined = ChainConnection.ToMined(receipt);
        if (!mined.Succeeded || string.IsNullOrEmpty(receipt.ContractAddress))
            throw new InvalidOperationException($"Deployment transaction {mined.Hash} from {account} was mined in block {mined.BlockNumber} but failed.");
        return new DeployedContract(receipt.ContractAddress.ToLowerInvariant(), mined.Hash, mined.BlockNumber, mined.GasUsed);
    }

    /// <summary>
    /// Throws, naming the account, its balance and the shortfall, when <paramref name="account"/> cannot pay
    /// <paramref name="gas"/> at the highest fee per gas the transaction would offer now: the node refuses
    /// such a transaction with a message that names neither.
    /// </summary>
    private static async Task RefuseUnaffordableDeploymentAsync(Web3 web3, HexBigInteger gas, string account, long chainId)
    {
        var fee = await web3.TransactionManager.Fee1559SuggestionStrategy.SuggestFeeAsync();
        var feePerGas = fee.MaxFeePerGas ?? (await web3.Eth.GasPrice.SendRequestAsync()).Value;
        var needed = gas.Value * feePerGas;
        var balance = (await web3.Eth.GetBalance.SendRequestAsync(account)).Value;
        if (balance < needed)
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"Account {account} cannot pay for the deployment on chain {chainId}: it holds {Amounts.Ether(balance)} ETH, and deploying needs about " +
                $"{Amounts.Ether(needed)} ETH ({gas.Value} gas at up to {Amounts.Gwei(feePerGas)} gwei). " +
                $"Send it at least {Amounts.Ether(needed - balance)} ETH more and deploy again."));
    }

    /// <summary>Admits <paramref name="issuer"/> under <paramref name="name"/>, bound for life to the Ed25519 public key <paramref name="signingKey"/>.</summary>
    public Task<MinedTransaction> AddIssuerAsync(string issuer, string name, Bytes32 signingKey) =>
        SendAndWaitAsync(new AddIssuerFunction { Issuer = issuer, Name = name, SigningKey = signingKey.ToArray() });

    /// <summary>Removes <paramref name="issuer"/>; its anchors after <paramref name="trustedUntil"/> become void.</summary>
    public Task<MinedTransaction> RemoveIssuerAsync(string issuer, DateTimeOffset trustedUntil) =>
        SendAndWaitAsync(new RemoveIssuerFunction { Issuer = issuer, TrustedUntil = (ulong)trustedUntil.ToUnixTimeSeconds() });

    /// <summary>The gas <c>anchor(root, count)</c> takes from this account now; a call the contract would refuse throws its error.</summary>
    public async Task<long> EstimateAnchorGasAsync(Bytes32 root, uint count) =>
        (long)(await Guard(() => _web3.Eth.GetContractTransactionHandler<AnchorFunction>()
            .EstimateGasAsync(Contract, new AnchorFunction { Root = root.ToArray(), Count = count, FromAddress = Address }))).Value;

    /// <summary>
    /// Signs <c>anchor(root, count)</c> as an EIP-1559 transaction with the nonce and fees given, without
    /// sending it: its hash is known (and can be stored) before the node ever sees it. A second
    /// transaction with the same nonce and higher fees replaces the first in the node's pool.
    /// </summary>
    public async Task<SignedTransaction> SignAnchorAsync(Bytes32 root, uint count, long nonce, long gas, TransactionFees fees)
    {
        var raw = await _web3.Eth.GetContractTransactionHandler<AnchorFunction>().SignTransactionAsync(Contract, new AnchorFunction
        {
            Root = root.ToArray(), Count = count, FromAddress = Address,
            Nonce = nonce, Gas = gas, MaxFeePerGas = fees.MaxFeePerGas, MaxPriorityFeePerGas = fees.MaxPriorityFeePerGas,
        });
        var bytes = Convert.FromHexString(raw.StartsWith("0x", StringComparison.Ordinal) ? raw[2..] : raw);
        return new SignedTransaction(Keccak256.Hash(bytes).ToString(), "0x" + Convert.ToHexStringLower(bytes), nonce, gas, fees);
    }

    /// <summary>
    /// Revokes one credential of <paramref name="root"/>: as its issuer, or, when
    /// <paramref name="forIssuer"/> is given, as the operator for that removed issuer.
    /// </summary>
    public Task<MinedTransaction> RevokeAsync(Bytes32 root, Bytes32 digest, IReadOnlyList<Bytes32> proof, string reason, string? forIssuer = null)
    {
        var path = proof.Select(p => p.ToArray()).ToList();
        return forIssuer is null
            ? SendAndWaitAsync(new RevokeFunction { Root = root.ToArray(), Digest = digest.ToArray(), Proof = path, Reason = reason })
            : SendAndWaitAsync(new RevokeForFunction { Issuer = forIssuer, Root = root.ToArray(), Digest = digest.ToArray(), Proof = path, Reason = reason });
    }

    /// <summary>Revokes several digests of one batch with one OpenZeppelin multiproof, as <see cref="RevokeAsync"/> does for one.</summary>
    public Task<MinedTransaction> RevokeManyAsync(Bytes32 root, Merkle.MultiProof multiProof, string reason, string? forIssuer = null)
    {
        var digests = multiProof.Leaves.Select(d => d.ToArray()).ToList();
        var proof = multiProof.Proof.Select(p => p.ToArray()).ToList();
        var flags = multiProof.ProofFlags.ToList();
        return forIssuer is null
            ? SendAndWaitAsync(new RevokeManyFunction { Root = root.ToArray(), Digests = digests, Proof = proof, ProofFlags = flags, Reason = reason })
            : SendAndWaitAsync(new RevokeManyForFunction
            {
                Issuer = forIssuer, Root = root.ToArray(), Digests = digests, Proof = proof, ProofFlags = flags, Reason = reason,
            });
    }

    /// <summary>Sends <paramref name="ether"/> from this account to <paramref name="to"/>.</summary>
    public async Task<MinedTransaction> FundAsync(string to, decimal ether)
    {
        var receipt = await SendAsync(() => _web3.Eth.GetEtherTransferService().TransferEtherAndWaitForReceiptAsync(to, ether));
        return ChainConnection.ToMined(receipt);
    }

    private async Task<MinedTransaction> SendAndWaitAsync<TFunction>(TFunction function) where TFunction : Nethereum.Contracts.FunctionMessage, new()
    {
        var receipt = await SendAsync(() => _web3.Eth.GetContractTransactionHandler<TFunction>().SendRequestAndWaitForReceiptAsync(Contract, function));
        var mined = ChainConnection.ToMined(receipt);
        if (!mined.Succeeded) throw new InvalidOperationException($"Transaction {mined.Hash} was mined but failed.");
        return mined;
    }

    /// <summary>
    /// Sends with a nonce read from the node each time. The account sends one transaction at a time, so
    /// this costs one call and survives what a nonce counted in memory does not: a dropped
    /// transaction, a reorganisation, a failed send.
    /// </summary>
    private async Task<T> SendAsync<T>(Func<Task<T>> send)
    {
        await _account.NonceService.ResetNonceAsync();
        return await Guard(send);
    }

    private static async Task<T> Guard<T>(Func<Task<T>> send)
    {
        try
        {
            return await send();
        }
        catch (Exception e) when (ContractRevertedException.From(e) is { } reverted)
        {
            throw reverted;
        }
    }

}
