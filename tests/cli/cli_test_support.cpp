// Shared helpers of the CLI tests live here.
