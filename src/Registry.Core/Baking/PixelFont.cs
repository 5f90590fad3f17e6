namespace Registry.Baking;

/// <summary>
/// A 5×7 pixel font for printable ASCII, drawn for the registry's default badge. Each glyph is seven rows,
/// top first; each row one base-32 digit whose five bits are the pixels from left to right.
/// </summary>
internal static class PixelFont
{
    public const int Width = 5;
    public const int Height = 7;

    private const string Digits = "0123456789ABCDEFGHIJKLMNOPQRSTUV";

    private const string Glyphs =
        "00000004444404AA00000AAVAVAA4FKE5U4OP248J3CIK8LID44000002488842842224804LEL40044V4400000C48000V000" +
        "00000CC01248G0EHJLPHE4C4444EEH1248VV2421HE26AIV22VGU11HE68GUHHEV124888EHHEHHEEHHF12C0CC0CC00CC0C48" +
        "248G84200V0V008421248EH12404EH1DLLEEHHVHHHUHHUHHUEHGGGHESIHHHISVGGUGGVVGGUGGGEHGNHHFHHHVHHHE44444E" +
        "72222ICHIKOKIHGGGGGGVHRLLHHHHHPLJHHEHHHHHEUHHUGGGEHHHLIDUHHUKIHFGGE11UV444444HHHHHHEHHHHHA4HHHLLLA" +
        "HHA4AHHHHA4444V1248GVE88888E0G84210E22222E4AH0000000000V840000000E1FHFGGMPHHU00EGGHE11DJHHF00EHVGE" +
        "698S8880FHHF1EGGMPHHH40C444E20622ICGGIKOKIC44444E00QLLHH00MPHHH00EHHHE00UHUGG00DJF1100MPGGG00EGE1U" +
        "88S889600HHHJD00HHHA400HHLLA00HA4AH00HHF1E00V248V244844244444448442448008L200";

    /// <summary>Whether the pixel at (<paramref name="x"/>, <paramref name="y"/>) of <paramref name="c"/>'s glyph is inked; characters outside printable ASCII draw as '?'.</summary>
    public static bool Ink(char c, int x, int y)
    {
        if (c is < ' ' or > '~') c = '?';
        var row = Digits.IndexOf(Glyphs[(c - ' ') * Height + y]);
        return (row >> (Width - 1 - x) & 1) != 0;
    }
}
