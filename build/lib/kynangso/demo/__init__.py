"""The synthetic demo province: data generator and the `kynangso demo` command."""
