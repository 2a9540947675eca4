using Postroom.Operator;

await OperatorApplication.Build(args).RunAsync();
