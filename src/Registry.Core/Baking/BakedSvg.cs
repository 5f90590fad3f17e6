using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Registry.Baking;

/// <summary>
/// SVG baking: the credential in one <c>&lt;openbadges:credential&gt;</c> element of the namespace
/// <c>https://purl.imsglobal.org/ob/v3p0</c>, first child of the root, its JSON in CDATA (a <c>]]&gt;</c>
/// inside the JSON splits the CDATA section, as XML requires). Reading allows no DTD and no entities
/// beyond XML's own, and reads at most <see cref="BakedImage.MaxBytes"/> characters.
/// </summary>
public static class BakedSvg
{
    private static readonly XNamespace Ob = BakedImage.Namespace;

    private static XmlReaderSettings Settings => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = BakedImage.MaxBytes,
        MaxCharactersFromEntities = 1024,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    public static BakedReading Extract(ReadOnlySpan<byte> svg)
    {
        var found = new List<byte[]>();
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(svg.ToArray(), writable: false), Settings);
            var root = true;
            while (!reader.EOF)
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    reader.Read();
                    continue;
                }
                if (root && reader.LocalName != "svg")
                    return BakedReading.Refuse($"The image is not an SVG: its root element is <{reader.Name}>.");
                root = false;
                if (reader.LocalName == "credential" && reader.NamespaceURI == BakedImage.Namespace)
                    found.Add(Encoding.UTF8.GetBytes(reader.ReadElementContentAsString().Trim()));
                else
                    reader.Read();
            }
            if (root) return BakedReading.Refuse("The image is not an SVG: it has no root element.");
        }
        catch (XmlException e)
        {
            return BakedReading.Refuse($"The image is not well-formed SVG: {e.Message}");
        }
        return BakedImage.Count(found, $"<openbadges:credential> element in the namespace {BakedImage.Namespace}");
    }

    /// <summary>The SVG with <paramref name="credentialJson"/> as the root's first child, any credential it held removed.</summary>
    public static byte[] Bake(byte[] svg, string credentialJson)
    {
        XDocument document;
        using (var reader = XmlReader.Create(new MemoryStream(svg, writable: false), Settings))
            document = XDocument.Load(reader);
        var root = document.Root!;
        if (root.Name.LocalName != "svg") throw new FormatException($"The image is not an SVG: its root element is <{root.Name}>.");
        root.Descendants(Ob + "credential").Remove();
        if (root.GetPrefixOfNamespace(Ob) is null) root.SetAttributeValue(XNamespace.Xmlns + "openbadges", Ob.NamespaceName);
        root.AddFirst(new XElement(Ob + "credential", new XCData(credentialJson)));
        using var output = new MemoryStream();
        using (var writer = XmlWriter.Create(output, new XmlWriterSettings { Encoding = new UTF8Encoding(false), OmitXmlDeclaration = false }))
            document.Save(writer);
        return output.ToArray();
    }
}
