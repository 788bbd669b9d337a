using Obscura.Bench;

switch (args.FirstOrDefault())
{
    case "accounting":
        AccountingBenchmark.Run(Console.Out);
        return 0;
    default:
        Console.Error.WriteLine("usage: Obscura.Bench accounting");
        return 1;
}
