using System.Text.Json;

namespace Registry.Load;

/// <summary>
/// One measured figure: what, at which size (null when it does not depend on one), its value and
/// unit, and whose it is: "ours", or the reference's description, measured in the same run. Appended
/// as a JSON line; bench/table.js prints them.
/// </summary>
public sealed record Row(string Measure, int? Size, double Value, string Unit, string Side, string? Note = null);

public sealed class Rows(string path)
{
    public void Add(Row row)
    {
        File.AppendAllText(path, JsonSerializer.Serialize(row, JsonSerializerOptions.Web) + "\n");
        Console.WriteLine($"  {row.Measure}{(row.Size is { } n ? $" ({n:N0})" : "")}: {row.Value:N2} {row.Unit} [{row.Side}]{(row.Note is null ? "" : " " + row.Note)}");
    }
}
