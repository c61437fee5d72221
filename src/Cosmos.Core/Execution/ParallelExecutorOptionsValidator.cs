using Microsoft.Extensions.Options;

namespace Cosmos.Core.Execution;

/// <summary>Checks the DataAnnotations of <see cref="ParallelExecutorOptions"/> (source-generated), for an executor built without DI.</summary>
[OptionsValidator]
internal sealed partial class ParallelExecutorOptionsValidator : IValidateOptions<ParallelExecutorOptions>
{
}
