return await NexusOrleans.Gateway.Hosting.GatewayProgram.RunAsync(args);
