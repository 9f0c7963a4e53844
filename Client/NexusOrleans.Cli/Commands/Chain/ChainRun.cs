using System.CommandLine;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using NexusOrleans.Chain.Contracts;
using NexusOrleans.Chain.Rpc;
using NexusOrleans.Chain.Sending;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Cli.Commands.Chain;

/// <summary>
/// Runs a chain command with the invocation's output and error writers. Every failure a user can act on is one line on
/// the error writer and exit code 1: node unreachable, wrong chain, no contract, a revert with its custom error decoded
/// and explained. Messages never carry the mnemonic or a key: none of the exceptions handled here is given one.
/// </summary>
internal static class ChainRun
{
    public static async Task<int> RunAsync(ParseResult result, Func<TextWriter, Task<int>> action)
    {
        var error = result.InvocationConfiguration.Error;
        try
        {
            return await action(result.InvocationConfiguration.Output);
        }
        catch (ChainNodeUnreachableException exception)
        {
            return Fail(error, $"Cannot reach the chain node at {exception.Endpoint} ({exception.Message}). Is it running? Pass its JSON-RPC URL with --rpc or {ChainSettings.RpcVariable}.");
        }
        catch (ContractRevertedException exception)
        {
            return Fail(error, Explain(exception));
        }
        catch (ChainRpcException exception) when (exception.RpcMessage.Contains("insufficient funds", StringComparison.OrdinalIgnoreCase))
        {
            return Fail(error, $"The wallet has too little ETH to pay for this transaction's gas ({exception.RpcMessage}); send it some ETH and try again.");
        }
        catch (ChainRpcException exception)
        {
            return Fail(error, $"The chain node refused: {exception.Message}");
        }
        catch (Exception exception) when (exception is ChainCommandException or ArgumentException or FormatException or InvalidMnemonicException or IOException
                                               or SiloRefusedException or JsonException or TransactionRevertedException or NonceConsumedException)
        {
            return Fail(error, exception.Message);
        }
        catch (OperationCanceledException)
        {
            return 130;
        }
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"ichat: {message}");
        return 1;
    }

    /// <summary>A revert in words: what happened and what to do, with the decoded error for the record.</summary>
    internal static string Explain(ContractRevertedException exception)
    {
        var error = exception.Error;
        return error?.Name switch
        {
            "AlreadyClaimed" => $"Already claimed: this epoch's reward was paid to that account before; nothing was sent. ({error})",
            "EpochNotAnchored" => $"This epoch is not anchored on chain yet: the cluster anchors each epoch's Merkle root a little after the epoch closes; try again later. ({error})",
            "InvalidProof" => $"The proof does not lead to the root anchored on chain for this epoch (is --silo the cluster whose roots this chain holds?). ({error})",
            "UnstakeLocked" => $"Your pending stake is still locked until {When(error.Arguments[1])}; withdraw after that. ({error})",
            "NothingToWithdraw" => $"Nothing to withdraw: no stake is pending. Ask for it first with `ichat chain unstake AMOUNT`. ({error})",
            "InsufficientStake" => $"You cannot unstake more than your active stake. ({error})",
            "ZeroAmount" => $"The amount must be above 0. ({error})",
            _ => exception.Message,
        };
    }

    internal static string When(object? unixSeconds) =>
        unixSeconds is BigInteger seconds
            ? DateTimeOffset.FromUnixTimeSeconds((long)seconds).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)
            : Convert.ToString(unixSeconds, CultureInfo.InvariantCulture) ?? "?";
}
