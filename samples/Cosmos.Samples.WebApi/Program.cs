var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls("http://127.0.0.1:5080");
var app = builder.Build();
app.MapGet("/", () => "Cosmos.Audit sample");
app.Run();
