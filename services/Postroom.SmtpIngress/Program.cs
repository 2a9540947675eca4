using Postroom.Hosting.Defaults;
using Postroom.Hosting.Smtp;
using Postroom.Hosting.Tls;
using StackExchange.Redis;

// Settings ship next to the binary, whatever the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var smtp = builder.Configuration.GetSection("Smtp").Get<SmtpHostSettings>() ?? new SmtpHostSettings();
var certificates = CertificateProvider.Create(builder.Configuration.GetSection("Tls").Get<TlsSettings>() ?? new TlsSettings());
var redis = await ConnectionMultiplexer.ConnectAsync(builder.Configuration["Redis:Configuration"] ?? "localhost:6379");

builder.AddPostroomDefaults();
builder.Services.AddSingleton<IConnectionMultiplexer>(redis);
builder.Services.AddBlobStore(builder.Configuration).AddRedisMailQueue(builder.Configuration).AddRedisConfigSnapshot();
builder.Services.AddSmtpIngress(smtp);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.ListenHttp(builder.Configuration.GetSection("Http").Get<HttpSettings>() ?? new HttpSettings());
    kestrel.ListenSmtp(smtp, certificates);
});

var app = builder.Build();
app.MapPostroomDefaults();
await app.RunAsync();
