using Registry.Tests.Infrastructure;
using System.Text.Json.Nodes;

namespace Registry.Tests.Browser;

/// <summary>
/// What an employer's browser shows for real credentials, read from the page's data attributes
/// (<c>data-verdict</c>, <c>data-check</c>, <c>data-status</c>) and its <c>lang</c> and <c>dir</c>.
/// Screenshots of every visit are kept in tests/artifacts/browser.
/// </summary>
[TakesAbout(120)]
public sealed class VerifierPageTests(BrowserVerifier page) : IClassFixture<BrowserVerifier>
{
    private static readonly string[] CheckOrder = ["format", "digest", "signature", "merkle", "registry", "anchor", "issuer", "revocation", "validity", "components"];

    [Theory]
    [InlineData("registry-valid-en", "en", "ltr", "Verified")]
    [InlineData("static-valid-en", "en", "ltr", "Verified")]
    [InlineData("static-valid-de-link", "de", "ltr", "Bestätigt")]
    [InlineData("static-valid-file-fr", "fr", "ltr", "Vérifiée")]
    [InlineData("static-valid-phone-zh", "zh", "ltr", "验证通过")]
    public void A_valid_credential_is_verified_with_every_check_passed(string visit, string lang, string dir, string verdict)
    {
        var seen = Seen(visit, lang, dir, verdict);
        Assert.Equal("verified", Text(seen, "verdict"));
        Assert.Equal(CheckOrder, Checks(seen).Select(c => c.Name));
        Assert.All(Checks(seen), c => Assert.Equal("passed", c.Status));
        Assert.False(seen["registryForm"]!.GetValue<bool>());
        Assert.Contains("did:example:alice", Text(seen, "claims"));
        Assert.Contains("Writes, tests and deploys a simple smart contract.", Text(seen, "claims"));
        Assert.Contains("Open University of Testing", Text(seen, "claims"));
        // The issuer's did:key and its blockchain account.
        Assert.Contains("did:key:z6Mk", Text(seen, "claims"));
        Assert.Contains("did:pkh:eip155:31337:0x", Text(seen, "claims"));
    }

    [Theory]
    [InlineData("registry-tampered-de", "de", "ltr", "Nicht bestätigt", "digest")]
    [InlineData("static-tampered-en", "en", "ltr", "Not verified", "digest")]
    [InlineData("static-bad-signature-fr", "fr", "ltr", "Non vérifiée", "signature")]
    [InlineData("registry-revoked-ar", "ar", "rtl", "لم يتم التحقق", "revocation")]
    [InlineData("static-revoked-de", "de", "ltr", "Nicht bestätigt", "revocation")]
    [InlineData("registry-expired-en", "en", "ltr", "Not verified", "validity")]
    [InlineData("static-expired-ar", "ar", "rtl", "لم يتم التحقق", "validity")]
    [InlineData("registry-unknown-chain-de", "de", "ltr", "Nicht bestätigt", "registry")]
    [InlineData("static-unknown-chain-en", "en", "ltr", "Not verified", "registry")]
    [InlineData("untrusting-valid-en", "en", "ltr", "Not verified", "registry")]
    public void A_bad_credential_fails_at_its_check_and_the_rest_are_skipped(string visit, string lang, string dir, string verdict, string failing)
    {
        var seen = Seen(visit, lang, dir, verdict);
        Assert.Equal("not-verified", Text(seen, "verdict"));
        var checks = Checks(seen);
        Assert.Equal(CheckOrder, checks.Select(c => c.Name));
        var at = Array.IndexOf(CheckOrder, failing);
        Assert.All(checks.Take(at), c => Assert.Equal("passed", c.Status));
        Assert.Equal("failed", checks[at].Status);
        Assert.All(checks.Skip(at + 1), c => Assert.Equal("skipped", c.Status));
    }

    [Theory]
    [InlineData("registry-revoked-ar", "ألغتها الجهة المُصدِرة")]
    [InlineData("static-revoked-de", "Vom Aussteller widerrufen am")]
    public void A_revoked_credential_says_so_with_its_date_and_reason(string visit, string phrase)
    {
        var revoked = Text(Page(visit), "revoked");
        Assert.Contains(phrase, revoked);
        Assert.Contains("Issued in error", revoked);
        Assert.Matches(@"20\d\d", revoked);
        Assert.False(Page(visit)["registryForm"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("registry-expired-en", "Expired on January 15, 2021")]
    [InlineData("static-expired-ar", "انتهت صلاحيتها")]
    public void An_expired_credential_says_so_with_its_date(string visit, string phrase) =>
        Assert.Contains(phrase, Text(Page(visit), "expired"));

    [Theory]
    [InlineData("registry-unknown-chain-de")]
    [InlineData("static-unknown-chain-en")]
    [InlineData("untrusting-valid-en")]
    public void An_unknown_registry_gets_a_field_for_a_node_and_the_address_to_trust(string visit) =>
        Assert.True(Page(visit)["registryForm"]!.GetValue<bool>());

    [Fact]
    public void A_registry_the_user_trusts_for_the_session_verifies_through_the_node_they_give()
    {
        var seen = Page("untrusting-trusted-for-session-en");
        Assert.Equal("not-verified", Text(seen, "before"));
        Assert.Equal("verified", Text(seen, "verdict"));
        Assert.All(Checks(seen), c => Assert.Equal("passed", c.Status));
    }

    [Fact]
    public void The_share_link_carries_the_credential_in_the_fragment_and_verifies_when_opened()
    {
        var seen = Page("static-valid-de-link");
        var link = Text(seen, "offeredLink");
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/#c=[A-Za-z0-9_-]{100,}$", link);
        Assert.Equal("verified", Text(seen, "verdict"));
        Assert.Equal(link, Text(seen, "shareLink"));
    }

    [Theory]
    [InlineData("static-valid-en")]
    [InlineData("static-revoked-de")]
    public void The_print_view_fits_one_A4_page(string visit) =>
        Assert.Equal(1, Page(visit)["printedPages"]!.GetValue<int>());

    [Fact]
    public void On_a_phone_screen_nothing_runs_off_the_side() =>
        Assert.False(Page("static-valid-phone-zh")["overflows"]!.GetValue<bool>());

    [Theory]
    [InlineData("static-valid-en")]
    [InlineData("static-revoked-de")]
    [InlineData("registry-valid-en")]
    public void The_page_loads_nothing_from_other_sites_only_its_host_and_the_node(string visit)
    {
        var origins = Page(visit)["origins"]!.AsArray().Select(o => o!.GetValue<string>()).ToList();
        var node = page.RpcUrl.GetLeftPart(UriPartial.Authority);
        Assert.Contains(node, origins);
        Assert.Single(origins, o => o != node);
        Assert.All(origins, o => Assert.StartsWith("http://127.0.0.1:", o));
    }

    [Theory]
    [InlineData("registry-tampered-de", "de", "digest")]
    [InlineData("static-tampered-en", "en", "digest")]
    [InlineData("static-bad-signature-fr", "fr", "signature")]
    [InlineData("registry-revoked-ar", "ar", "revocation")]
    [InlineData("static-revoked-de", "de", "revocation")]
    [InlineData("static-expired-ar", "ar", "validity")]
    [InlineData("static-unknown-chain-en", "en", "registry")]
    public void A_failed_verdict_says_the_failed_checks_own_failure_sentence_not_what_passing_means(string visit, string lang, string check)
    {
        var words = PageStrings.Value[lang]!;
        var detail = Text(Page(visit), "verdictDetail");
        Assert.Contains(words[$"fail_{check}"]!.GetValue<string>(), detail);
        Assert.DoesNotContain(words[$"check_{check}"]!.GetValue<string>(), detail);
    }

    [Theory]
    [InlineData("static-bidi-en")]
    [InlineData("static-bidi-de")]
    [InlineData("static-bidi-ar")]
    public void An_issuer_name_holding_a_right_to_left_override_does_not_reverse_the_rest_of_the_verdict(string visit)
    {
        var seen = Page(visit);
        Assert.Equal("verified", Text(seen, "verdict"));
        Assert.Contains("Evil\u202E Academy", seen["verdictDetailIsolates"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.False(seen["bidiReversed"]!.GetValue<bool>());
    }

    [Fact]
    public void A_share_link_that_expands_beyond_any_credential_stops_with_a_message_and_no_verdict()
    {
        var seen = Page("static-bomb-en");
        Assert.Equal(PageStrings.Value["en"]!["linkTooLarge"]!.GetValue<string>().Replace("{max}", "4,194,304"), Text(seen, "problem"));
        Assert.Null(seen["verdict"]);
        Assert.InRange(seen["elapsedMs"]!.GetValue<long>(), 0, 15_000);
    }

    [Fact]
    public void Long_hashes_in_the_checks_table_never_leave_a_period_alone_on_a_line() =>
        Assert.Empty(Page("static-tampered-narrowing-en")["strandedAt"]!.AsArray());

    [Theory]
    [InlineData("down-valid-en", "Could not check")]
    [InlineData("down-valid-fr", "Vérification impossible")]
    public void A_node_that_is_down_is_no_verdict_the_page_could_not_check(string visit, string verdict)
    {
        var seen = Seen(visit, visit[^2..], "ltr", verdict);
        Assert.Equal("could-not-check", Text(seen, "verdict"));
        var checks = Checks(seen);
        Assert.Equal("could-not-check", checks.Single(c => c.Name == "registry").Status);
        Assert.DoesNotContain(checks, c => c.Status == "failed");
        Assert.True(seen["registryForm"]!.GetValue<bool>());
    }

    /// <summary>The page's words, read from its i18n.js.</summary>
    [Theory]
    [InlineData("static-portfolio-en", "en")]
    [InlineData("static-portfolio-link-de", "de")]
    public void Several_files_make_one_portfolio_listed_with_titles_issuers_dates_and_verdicts(string visit, string lang)
    {
        var seen = page.Seen(visit);
        Assert.True(seen["error"] is null, seen["error"]?.GetValue<string>());
        Assert.Equal(lang, Text(seen, "lang"));
        Assert.Equal("verified", Text(seen, "verdict"));
        var entries = seen["portfolio"]!.AsArray();
        Assert.Equal([1, 2, 3], entries.Select(e => e!["index"]!.GetValue<int>()));
        Assert.All(entries, e => Assert.Equal("verified", e!["outcome"]!.GetValue<string>()));
        var lines = entries.Select(e => e!["text"]!.GetValue<string>()).ToList();
        Assert.Contains("Introduction to Solidity", lines[0]);
        Assert.Contains("Testing Smart Contracts", lines[1]);
        Assert.Contains("Auditing Smart Contracts", lines[2]);
        Assert.All(lines, l => Assert.Contains("Open University of Testing", l));
        Assert.All(lines, l => Assert.Matches(@"20\d\d", l));
        // No single credential's sections, and one share link for all of them.
        Assert.Empty(Checks(seen));
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/#c=[A-Za-z0-9_-]{100,}$", Text(seen, "shareLink"));
    }

    [Fact]
    public void The_portfolios_share_link_opens_the_same_portfolio() =>
        Assert.Equal(Text(page.Seen("static-portfolio-link-de"), "offeredLink"), Text(page.Seen("static-portfolio-link-de"), "shareLink"));

    [Fact]
    public void A_portfolio_with_one_tampered_credential_shows_which_and_why()
    {
        var seen = page.Seen("static-portfolio-tampered-en");
        Assert.Equal("not-verified", Text(seen, "verdict"));
        var entries = seen["portfolio"]!.AsArray();
        Assert.Equal(["verified", "not-verified", "verified"], entries.Select(e => e!["outcome"]!.GetValue<string>()));
        Assert.Equal("digest", entries[1]!["failed"]!.GetValue<string>());
        Assert.Contains("Testing Everything", entries[1]!["text"]!.GetValue<string>());
        Assert.Contains(PageStrings.Value["en"]!["fail_digest"]!.GetValue<string>(), entries[1]!["text"]!.GetValue<string>());
        Assert.Contains("1 of 3", Text(seen, "verdictDetail"));
    }

    [Fact]
    public void A_qualification_with_its_components_is_shown_as_a_tree_with_titles_issuers_dates_and_verdicts()
    {
        var seen = Page("static-stack-en");
        Assert.Equal("verified", Text(seen, "verdict"));
        var tree = seen["portfolioTree"]!.AsArray().Select(r => r!.AsObject()).ToList();
        // The qualification (file 1), then its three components indented, in the order its evidence names them.
        Assert.Equal([(1, 0), (2, 1), (3, 1), (4, 1)], tree.Select(r => (r["index"]!.GetValue<int>(), r["depth"]!.GetValue<int>())));
        Assert.All(tree, r => Assert.Equal("verified", r["outcome"]!.GetValue<string>()));
        var lines = tree.Select(r => r["text"]!.GetValue<string>()).ToList();
        Assert.Contains("Certificate in Smart Contract Engineering", lines[0]);
        Assert.Contains("Introduction to Solidity", lines[1]);
        Assert.Contains("Testing Smart Contracts", lines[2]);
        Assert.Contains("Auditing Smart Contracts", lines[3]);
        Assert.All(lines, l => Assert.Contains("Open University of Testing", l));
        Assert.All(lines, l => Assert.Matches(@"20\d\d", l));
        Assert.Contains("4 credentials", Text(seen, "verdictDetail"));
    }

    [Fact]
    public void A_component_changed_or_left_out_is_not_nested_and_says_why()
    {
        var seen = Page("static-stack-partial-en");
        Assert.Equal("not-verified", Text(seen, "verdict"));
        var tree = seen["portfolioTree"]!.AsArray().Select(r => r!.AsObject()).ToList();
        var words = PageStrings.Value["en"]!;
        // The qualification still verifies (its components check reads the chain); under it Solidity (file 3) matches,
        // Testing's reference does not match file 2, Auditing is not in the portfolio; file 2 stands alone, failed at digest.
        Assert.Equal(1, tree[0]["index"]!.GetValue<int>());
        Assert.Equal("verified", tree[0]["outcome"]!.GetValue<string>());
        Assert.Equal((3, 1), (tree[1]["index"]!.GetValue<int>(), tree[1]["depth"]!.GetValue<int>()));
        Assert.Equal(("digest-differs", 1), (tree[2]["match"]!.GetValue<string>(), tree[2]["depth"]!.GetValue<int>()));
        Assert.Null(tree[2]["index"]);
        Assert.Contains("Testing Smart Contracts", tree[2]["text"]!.GetValue<string>());
        Assert.Contains(words["componentDiffers"]!.GetValue<string>().Replace("{index}", "2"), tree[2]["text"]!.GetValue<string>());
        Assert.Equal(("not-in-portfolio", 1), (tree[3]["match"]!.GetValue<string>(), tree[3]["depth"]!.GetValue<int>()));
        Assert.Contains("Auditing Smart Contracts", tree[3]["text"]!.GetValue<string>());
        Assert.Contains(words["componentNotInPortfolio"]!.GetValue<string>(), tree[3]["text"]!.GetValue<string>());
        Assert.Equal((2, 0, "not-verified"), (tree[4]["index"]!.GetValue<int>(), tree[4]["depth"]!.GetValue<int>(), tree[4]["outcome"]!.GetValue<string>()));
        Assert.Contains(words["fail_digest"]!.GetValue<string>(), tree[4]["text"]!.GetValue<string>());
        Assert.Equal(5, tree.Count);
    }

    [Fact]
    public void A_portfolio_repeating_a_credential_is_refused_with_the_reason_and_no_verdict()
    {
        var seen = page.Seen("static-portfolio-repeated-en");
        Assert.Contains("same credential", Text(seen, "problem"));
        Assert.Equal("", Text(seen, "verdict"));
    }

    [Theory]
    [InlineData("static-badge-png-en")]
    [InlineData("static-badge-svg-ar")]
    public void A_baked_badge_from_the_registry_verifies_on_the_page(string visit)
    {
        var seen = page.Seen(visit);
        Assert.True(seen["error"] is null, seen["error"]?.GetValue<string>());
        Assert.Equal("verified", Text(seen, "verdict"));
        Assert.Equal(CheckOrder, Checks(seen).Select(c => c.Name));
        Assert.All(Checks(seen), c => Assert.Equal("passed", c.Status));
        Assert.Contains("did:example:alice", Text(seen, "claims"));
    }

    [Fact]
    public void A_badge_altered_after_baking_fails_at_digest_on_the_page()
    {
        var seen = page.Seen("static-badge-altered-en");
        Assert.Equal("not-verified", Text(seen, "verdict"));
        Assert.Equal("failed", Checks(seen).Single(c => c.Name == "digest").Status);
    }

    [Theory]
    [InlineData("static-valid-en")]
    [InlineData("static-badge-png-en")]
    public void A_verified_credential_offers_its_baked_badge_linkedin_and_an_embed_snippet_with_the_share_link(string visit)
    {
        var seen = page.Seen(visit);
        var showcase = seen["showcase"]!.AsObject();
        var share = Text(seen, "shareLink");
        var linkedin = new Uri(showcase["linkedin"]!.GetValue<string>());
        Assert.Equal("https://www.linkedin.com/profile/add", linkedin.GetLeftPart(UriPartial.Path));
        var query = System.Web.HttpUtility.ParseQueryString(linkedin.Query);
        Assert.Equal("CERTIFICATION_NAME", query["startTask"]);
        Assert.Equal("Introduction to Solidity", query["name"]);
        Assert.Equal("Open University of Testing", query["organizationName"]);
        Assert.Matches(@"^20\d\d$", query["issueYear"]);
        Assert.InRange(int.Parse(query["issueMonth"]!), 1, 12);
        Assert.Equal(share, query["certUrl"]);
        Assert.Contains($"<a href=\"{share}\">", showcase["embed"]!.GetValue<string>());
        Assert.True(seen["baked"]!["png"]!.GetValue<bool>());
        Assert.True(seen["baked"]!["svg"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("static-tampered-en")]
    [InlineData("static-portfolio-en")]
    public void Only_a_verified_single_credential_is_offered_for_showing_off(string visit) =>
        Assert.Null(page.Seen(visit)["showcase"]);

    private static readonly Lazy<JsonObject> PageStrings = new(() => Verification.FailureSentenceTests.LoadPageStrings().GetAwaiter().GetResult());

    /// <summary>
    /// An offer's link given to the page (its exchange URL or its wallet link, pasted or in an <c>#offer=</c> link) shows
    /// the offer's QR code, which reads back to the wallet link the registry gave, and that link to copy, in the reader's
    /// language; no verdict.
    /// </summary>
    [Theory]
    [InlineData("registry-offer-en", "en", "ltr", "Receive this credential in a wallet")]
    [InlineData("static-offer-de", "de", "ltr", "Diesen Nachweis in einer Wallet empfangen")]
    [InlineData("static-offer-link-fr", "fr", "ltr", "Recevoir cette attestation dans un portefeuille")]
    [InlineData("static-offer-es", "es", "ltr", "Recibir esta credencial en una billetera")]
    [InlineData("static-offer-phone-zh", "zh", "ltr", "在钱包中领取此证书")]
    [InlineData("static-offer-ar", "ar", "rtl", "استلام هذه الشهادة في محفظة")]
    public void An_offer_s_link_shows_its_QR_code_and_wallet_link_in_the_reader_s_language(string visit, string lang, string dir, string title)
    {
        var seen = Page(visit);
        Assert.Equal(lang, Text(seen, "lang"));
        Assert.Equal(dir, Text(seen, "dir"));
        var offer = seen["offer"]!.AsObject();
        Assert.Equal(title, Text(offer, "title"));
        var deepLink = page.Offer["deepLink"]!.GetValue<string>();
        Assert.Equal(deepLink, Text(offer, "decoded"));
        Assert.Equal(deepLink, Text(offer, "link"));
        var url = page.Offer["url"]!.GetValue<string>();
        Assert.Equal(url, Text(offer, "page"));
        Assert.Contains(url, Text(offer, "exchange"));
        Assert.False(offer["result"]!.GetValue<bool>());
        Assert.Null(seen["verdict"]);
        Assert.DoesNotContain("pageerror", string.Join("\n", seen["console"]!.AsArray().Select(c => c!.GetValue<string>())));
    }

    [Fact]
    public void An_offer_prints_on_one_page_and_fits_a_phone_screen()
    {
        Assert.Equal(1, Page("static-offer-link-fr")["printedPages"]!.GetValue<int>());
        Assert.False(Page("static-offer-phone-zh")["overflows"]!.GetValue<bool>());
    }

    [Fact]
    public void A_link_that_is_no_offer_s_is_a_problem_not_a_QR_code()
    {
        var seen = Page("static-not-an-offer-en");
        Assert.Contains("Not an offer's link", Text(seen, "problem"));
        Assert.Null(seen["offer"]);
        Assert.Null(seen["verdict"]);
    }

    private JsonObject Page(string visit)
    {
        var seen = page.Seen(visit);
        Assert.True(seen["error"] is null, $"{visit}: {seen["error"]}");
        return seen;
    }

    private JsonObject Seen(string visit, string lang, string dir, string verdict)
    {
        var seen = Page(visit);
        Assert.Equal(lang, Text(seen, "lang"));
        Assert.Equal(dir, Text(seen, "dir"));
        Assert.Equal(verdict, Text(seen, "verdictText"));
        Assert.True(File.Exists(Text(seen, "screenshot")));
        return seen;
    }

    private static string Text(JsonObject seen, string field) => seen[field]?.GetValue<string>() ?? "";

    private static List<(string Name, string Status)> Checks(JsonObject seen) =>
        seen["checks"]!.AsArray().Select(c => (c!["name"]!.GetValue<string>(), c["status"]!.GetValue<string>())).ToList();
}
