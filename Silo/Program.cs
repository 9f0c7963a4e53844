return await NexusOrleans.Silo.Hosting.SiloProgram.RunAsync(args);
