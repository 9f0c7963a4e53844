using NexusOrleans.Silo.Hosting;

// Settings come from appsettings.json next to the binary, whatever the working directory; relative paths in them
// (such as the SQLite file ./data/nexus.db) are relative to the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddSilo();
var app = builder.Build();
app.MapSiloHealth();
return await SiloProgram.RunAsync(app);
