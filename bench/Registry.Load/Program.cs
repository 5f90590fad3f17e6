using Registry.Load;

// The benchmark's measuring program; scripts/bench.sh runs it and prints the table of what it wrote.
//   http API_URL ADMIN_KEY API_PID RPC_URL SIZES ROWS PORTABLE_OUT ROTATION_OUT PORTFOLIO_OUT
//       over HTTP against a running registry (started with REGISTRY_MAX_BATCH_SIZE at least the largest
//       size and a long REGISTRY_MAX_DELAY_SECONDS): for each size, bulk issuance by 2 clients sending
//       1,000 a request, then seal, anchor and proofs, and the API's memory; writes one anchored
//       portable credential to PORTABLE_OUT and the different ones fetched at the last size (1,000 or
//       more, each checked to verify) to ROTATION_OUT, one a line, and a portfolio of 20 (a presentation)
//       to PORTFOLIO_OUT, for the POST /verify measurements; last, the chain
//       follower catching up 100,000 blocks that the (Hardhat) node mines at once.
//   shared API_URL_A API_URL_B ADMIN_KEY API_PID_A API_PID_B SIZES ROWS ROTATION_OUT SERVER_PID
//       two instances on one PostgreSQL database, at each size: bulk issuance, one client to each, 1,000
//       a request, with the CPU time it took the instances and the PostgreSQL server (SERVER_PID, its
//       postmaster, with every process it started); sealing it into one batch, anchoring it and fetching
//       proofs through both; their memory.
//       The portable credentials fetched at the last size go to ROTATION_OUT, one a line.
//   scale-prepare API_URL ADMIN_KEY DATABASE_URL COUNT PREPARED_OUT
//       a registry of COUNT credentials on PostgreSQL: 1,000 issued and anchored through the API, the rest
//       copied into the database as members of that batch.
//   scale-measure API_URL DATABASE_URL API_PID PREPARED_IN ROWS
//       on an instance started after scale-prepare: lookups by id over HTTP and by digest, and its memory.
//   stacks API_URL ADMIN_KEY AWARDS ROWS PORTFOLIO_OUT
//       stacked qualifications against a running registry: AWARDS awards of a qualification of 10 components,
//       timed one after another, and a portfolio of 20 (an award, its 10 components and 9 other credentials)
//       written to PORTFOLIO_OUT for POST /verify.
//   offers API_URL ADMIN_KEY OFFERS ROWS ISSUE_BODY_OUT ISSUER_KEY_OUT
//       offers against a running registry: OFFERS offers made, then each claimed by a wallet through the VC API exchange,
//       timed one after another; writes a POST /credentials/issue body and the issuer's key for the issuance timed under wrk.
//   store SIZES ROWS        the stores alone, in this process, on the same documents.
//   merkle SIZES ROWS       the Merkle tree in this process: build to root, one proof from the stored tree.
// SIZES is a comma-separated list of credential counts; ROWS a JSON-lines file the rows are appended to.
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: Registry.Load http API_URL ADMIN_KEY API_PID RPC_URL SIZES ROWS PORTABLE_OUT ROTATION_OUT PORTFOLIO_OUT | shared API_URL_A API_URL_B ADMIN_KEY API_PID_A API_PID_B SIZES ROWS ROTATION_OUT SERVER_PID | scale-prepare API_URL ADMIN_KEY DATABASE_URL COUNT PREPARED_OUT | scale-measure API_URL DATABASE_URL API_PID PREPARED_IN ROWS | stacks API_URL ADMIN_KEY AWARDS ROWS PORTFOLIO_OUT | offers API_URL ADMIN_KEY OFFERS ROWS ISSUE_BODY_OUT ISSUER_KEY_OUT | store SIZES ROWS | merkle SIZES ROWS");
    return 2;
}
static int[] Sizes(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
switch (args[0])
{
    case "http" when args.Length == 10:
        var rows = new Rows(args[6]);
        await HttpMeasures.RunAsync(new Uri(args[1]), args[2], int.Parse(args[3]), Sizes(args[5]), rows, args[7], args[8], args[9]);
        await HttpMeasures.FollowerCatchUpAsync(new Uri(args[1]), args[2], new Uri(args[4]), 100_000, rows);
        return 0;
    case "shared" when args.Length == 10:
        await HttpMeasures.SharedAsync(new Uri(args[1]), new Uri(args[2]), args[3], [int.Parse(args[4]), int.Parse(args[5])], Sizes(args[6]), new Rows(args[7]), args[8],
            int.Parse(args[9]));
        return 0;
    case "scale-prepare" when args.Length == 6:
        await ScaleMeasures.PrepareAsync(new Uri(args[1]), args[2], args[3], int.Parse(args[4]), args[5]);
        return 0;
    case "scale-measure" when args.Length == 6:
        await ScaleMeasures.MeasureAsync(new Uri(args[1]), args[2], int.Parse(args[3]), args[4], new Rows(args[5]));
        return 0;
    case "stacks" when args.Length == 6:
        await StackMeasures.RunAsync(new Uri(args[1]), args[2], int.Parse(args[3]), new Rows(args[4]), args[5]);
        return 0;
    case "offers" when args.Length == 7:
        await OfferMeasures.RunAsync(new Uri(args[1]), args[2], int.Parse(args[3]), new Rows(args[4]), args[5], args[6]);
        return 0;
    case "store":
        StoreMeasures.Run(Sizes(args[1]), new Rows(args[2]));
        return 0;
    case "merkle":
        MerkleMeasures.Run(Sizes(args[1]), new Rows(args[2]));
        return 0;
    default:
        Console.Error.WriteLine($"unknown or incomplete command: {string.Join(' ', args)}");
        return 2;
}
