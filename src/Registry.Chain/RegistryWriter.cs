using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Registry.Chain.Contract;
using Registry.Hashing;

namespace Registry.Chain;

/// <summary>Sends the contract's transactions signed by one account: the operator's or an issuer's.</summary>
public sealed class RegistryWriter
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

    /// <summary>Deploys a new CredentialRegistry owned by <paramref name="privateKey"/>'s account and returns its address.</summary>
    public static async Task<string> DeployAsync(ChainConnection connection, string privateKey, long chainId)
    {
        DevelopmentChain.RefusePublicKeyOffLocalChain(privateKey, chainId);
        var web3 = connection.SignerFor(privateKey, chainId);
        var receipt = await Guard(() => web3.Eth.GetContractDeploymentHandler<RegistryDeployment>()
            .SendRequestAndWaitForReceiptAsync(new RegistryDeployment()));
        if (receipt.Status?.Value != 1 || string.IsNullOrEmpty(receipt.ContractAddress))
            throw new InvalidOperationException($"Deployment transaction {receipt.TransactionHash} failed.");
        return receipt.ContractAddress.ToLowerInvariant();
    }

    public Task<MinedTransaction> AddIssuerAsync(string issuer, string name) =>
        SendAndWaitAsync(new AddIssuerFunction { Issuer = issuer, Name = name });

    public Task<MinedTransaction> RemoveIssuerAsync(string issuer) =>
        SendAndWaitAsync(new RemoveIssuerFunction { Issuer = issuer });

    /// <summary>Sends <c>anchor(root, count)</c> and returns its hash without waiting for it to be mined.</summary>
    public Task<string> SendAnchorAsync(Bytes32 root, uint count) =>
        SendAsync(async () => (await _web3.Eth.GetContractTransactionHandler<AnchorFunction>()
            .SendRequestAsync(Contract, new AnchorFunction { Root = root.ToArray(), Count = count })).ToLowerInvariant());

    public Task<MinedTransaction> RevokeAsync(Bytes32 digest, Bytes32 root, IReadOnlyList<Bytes32> proof, string reason) =>
        SendAndWaitAsync(new RevokeFunction
        {
            Digest = digest.ToArray(), Root = root.ToArray(), Proof = proof.Select(p => p.ToArray()).ToList(), Reason = reason,
        });

    /// <summary>Revokes several digests of one batch with one OpenZeppelin multiproof.</summary>
    public Task<MinedTransaction> RevokeManyAsync(Merkle.MultiProof multiProof, Bytes32 root, string reason) =>
        SendAndWaitAsync(new RevokeManyFunction
        {
            Digests = multiProof.Leaves.Select(d => d.ToArray()).ToList(),
            Root = root.ToArray(),
            Proof = multiProof.Proof.Select(p => p.ToArray()).ToList(),
            ProofFlags = multiProof.ProofFlags.ToList(),
            Reason = reason,
        });

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
