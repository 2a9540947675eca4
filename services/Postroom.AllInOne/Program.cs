using Postroom.AllInOne;
using Postroom.Hosting.Defaults;

if (PasswdCommand.Matches(args))
{
    return PasswdCommand.Run();
}

// Settings ship next to the binary; relative paths in options are relative to the caller's directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
await using var stores = await AllInOneStores.StartAsync(builder.Configuration, builder.Environment.ContentRootPath);

builder.AddPostroomDefaults();
stores.Register(builder);

var app = builder.Build();
app.MapPostroomDefaults();
await AllInOneStores.LoadConfigurationAsync(app.Services);
await app.RunAsync();
return 0;
