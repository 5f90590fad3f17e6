using System.Globalization;
using System.Numerics;
using Nethereum.Util;

namespace Registry.Chain;

/// <summary>Amounts of wei written for people, in messages.</summary>
public static class Amounts
{
    /// <summary>Wei as ether: "0.000104493".</summary>
    public static string Ether(BigInteger wei) => UnitConversion.Convert.FromWei(wei).ToString("0.##########", CultureInfo.InvariantCulture);

    /// <summary>Wei per gas as gwei: "12.5".</summary>
    public static string Gwei(BigInteger wei) =>
        UnitConversion.Convert.FromWei(wei, UnitConversion.EthUnit.Gwei).ToString("0.#########", CultureInfo.InvariantCulture);
}
