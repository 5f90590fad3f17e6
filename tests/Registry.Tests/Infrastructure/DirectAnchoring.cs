using Registry.Chain;
using Registry.Hashing;

namespace Registry.Tests.Infrastructure;

/// <summary>Anchoring as any account does it outside the registry: an impostor, a squatter, a thief.</summary>
public static class DirectAnchoring
{
    /// <summary>Signs and sends <c>anchor(root, count)</c> from <paramref name="writer"/>'s account at the node's fees; returns its hash.</summary>
    public static async Task<string> SendAnchorAsync(this RegistryWriter writer, ChainConnection connection, Bytes32 root, uint count)
    {
        var (baseFee, tip) = await connection.GetFeesAsync();
        var fees = new FeePolicy(0).Offer(baseFee, tip).Fees!;
        var gas = await writer.EstimateAnchorGasAsync(root, count);
        var nonce = await connection.GetNonceAsync(writer.Address, pending: true);
        var signed = await writer.SignAnchorAsync(root, count, nonce, gas, fees);
        await connection.SendRawAsync(signed.Raw);
        return signed.Hash;
    }
}
