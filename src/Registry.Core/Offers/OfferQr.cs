using System.Globalization;
using System.Text;
using QRCoder;

namespace Registry.Offers;

/// <summary>
/// An offer's QR code as SVG: QRCoder makes the module matrix (byte mode, error correction level M, with the four-module
/// quiet zone the standard asks for), and each run of dark modules in a row is drawn as one rectangle of one path, on
/// white, so that the code prints and scans at any size.
/// </summary>
public static class OfferQr
{
    /// <summary>The SVG of the QR code of <paramref name="text"/>, each module <paramref name="moduleSize"/> units wide.</summary>
    public static string Svg(string text, int moduleSize = 4)
    {
        using var generator = new QRCodeGenerator();
        using var code = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var matrix = code.ModuleMatrix;
        var size = matrix.Count;
        var path = new StringBuilder();
        for (var y = 0; y < size; y++)
        {
            var row = matrix[y];
            for (var x = 0; x < size; x++)
            {
                if (!row[x]) continue;
                var start = x;
                while (x + 1 < size && row[x + 1]) x++;
                path.Append(CultureInfo.InvariantCulture, $"M{start} {y}h{x - start + 1}v1h-{x - start + 1}z");
            }
        }
        var pixels = size * moduleSize;
        return $"""<svg xmlns="http://www.w3.org/2000/svg" width="{pixels}" height="{pixels}" viewBox="0 0 {size} {size}" shape-rendering="crispEdges">""" +
            $"""<rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{path}"/></svg>""";
    }
}
