using System.Text;
using Registry.Canonical;
using Registry.Credentials;

namespace Registry.Tests.Credentials;

/// <summary>
/// A number is accepted only when canonical JSON keeps its value: its decimal value must equal that of
/// the shortest form JCS writes for the double it reads.
/// </summary>
public sealed class ExactNumberTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("-0.0e5")]
    [InlineData("1")]
    [InlineData("1.0")]
    [InlineData("1e2")]
    [InlineData("1E+2")]
    [InlineData("100")]
    [InlineData("-1.5")]
    [InlineData("4.50")]
    [InlineData("2e-3")]
    [InlineData("0.1")]
    [InlineData("0.30000000000000004")]
    [InlineData("1e21")]
    [InlineData("1e23")]
    [InlineData("999999999999999")]
    [InlineData("9007199254740992")]
    [InlineData("9007199254740994")]
    [InlineData("5e-324")]
    [InlineData("2.2250738585072014e-308")]
    [InlineData("1.7976931348623157e308")]
    [InlineData("-1.7976931348623157e308")]
    [InlineData("0.000001")]
    [InlineData("1e-7")]
    [InlineData("123456789012345680000000000000")]
    // As System.Text.Json writes doubles: an upper-case E and a padded exponent.
    [InlineData("1E-07")]
    [InlineData("1.2345678901234568E+20")]
    [InlineData("1.7976931348623157E+308")]
    public void Numbers_that_canonical_json_keeps_are_exact(string literal)
    {
        Assert.True(ExactNumber.IsExact(Encoding.ASCII.GetBytes(literal), out _));
        Assert.NotNull(StrictJson.Parse($"{{\"n\": {literal}}}"));
    }

    [Theory]
    [InlineData("9007199254740993")] // 2^53 + 1: the double is 2^53
    [InlineData("-9007199254740993")]
    [InlineData("1e-400")] // underflows to 0
    [InlineData("-1e-400")]
    [InlineData("2e-324")] // below half the smallest subnormal: 0
    [InlineData("3e-324")] // rounds to the smallest subnormal, written 5e-324
    [InlineData("1e400")] // overflows
    [InlineData("-1e400")]
    [InlineData("1.7976931348623159e308")] // rounds up to infinity
    [InlineData("123456789012345678901234567890")]
    [InlineData("0.1000000000000000055511151231257827")] // the double's exact value, which JCS writes as 0.1
    [InlineData("99999999999999991611392")] // the exact value of the double JCS writes as 1e+23
    [InlineData("333333333.33333329")] // RFC 8785's example, written back as 333333333.3333333
    [InlineData("0.3000000000000000444")]
    [InlineData("1.00000000000000000000000000000000000001")]
    public void Numbers_that_canonical_json_would_change_are_not_exact(string literal)
    {
        Assert.False(ExactNumber.IsExact(Encoding.ASCII.GetBytes(literal), out _));
        var refused = Assert.Throws<InexactJsonException>(() => StrictJson.Parse($"{{\"n\": {literal}}}"));
        Assert.Equal(["/n"], refused.Errors.ToDictionary().Keys);
    }

    [Fact]
    public void A_number_with_a_huge_exponent_or_many_digits_is_judged_without_overflow()
    {
        Assert.True(ExactNumber.IsExact("0e999999999999999999999"u8, out _));
        Assert.False(ExactNumber.IsExact("1e999999999999999999999"u8, out _));
        Assert.False(ExactNumber.IsExact("1e-999999999999999999999"u8, out _));
        Assert.True(ExactNumber.IsExact(Encoding.ASCII.GetBytes("0." + new string('0', 100_000) + "e5"), out _));
        Assert.True(ExactNumber.IsExact(Encoding.ASCII.GetBytes("1" + new string('0', 25) + "e-25"), out _));
        Assert.False(ExactNumber.IsExact(Encoding.ASCII.GetBytes("1" + new string('0', 25) + "1e-26"), out _));
    }

    [Fact]
    public void Each_inexact_number_is_named_by_its_path()
    {
        var refused = Assert.Throws<InexactJsonException>(() => StrictJson.Parse("""
            {"credentialSubject": {"score": 9007199254740993, "marks": [1, 2, 1e400], "ok": 0.1},
             "list": [{"deep": [[3, 1e-400]]}], "fine": 1.0}
            """));
        var errors = refused.Errors.ToDictionary();
        Assert.Equal(["/credentialSubject/score", "/credentialSubject/marks/2", "/list/0/deep/0/1"], errors.Keys);
        Assert.Contains("9007199254740992", errors["/credentialSubject/score"][0]);
    }

    [Fact]
    public void In_a_bulk_array_the_item_index_comes_first_as_bulk_errors_name_it()
    {
        var refused = Assert.Throws<InexactJsonException>(() => StrictJson.Parse("""[{"a": 1}, {"a": 2}, {"b": {"c": 1e999}}, 1e-999]"""));
        Assert.Equal(["/2/b/c", "/3"], refused.Errors.ToDictionary().Keys);
    }

    [Fact]
    public void A_bare_inexact_number_is_named_as_the_document()
    {
        var refused = Assert.Throws<InexactJsonException>(() => StrictJson.Parse("18446744073709551617"));
        Assert.Equal([""], refused.Errors.ToDictionary().Keys);
    }

    [Fact]
    public void A_document_full_of_inexact_numbers_names_a_bounded_number_of_them()
    {
        var text = "[" + string.Join(",", Enumerable.Repeat("1e400", 10_000)) + "]";
        var refused = Assert.Throws<InexactJsonException>(() => StrictJson.Parse(text));
        Assert.Equal(StrictJson.MaxReportedValues, refused.Errors.ToDictionary().Count);
    }
}
