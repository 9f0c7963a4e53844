using NexusOrleans.Cli.Commands;

return await IchatCommands.Build().Parse(args).InvokeAsync();
