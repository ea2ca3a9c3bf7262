package io.spoils.gateway.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version from the jar manifest (Implementation-Version), "dev" when run from classes. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Spoils.class.getPackage().getImplementationVersion();
    return new String[] {"spoils " + (v == null ? "dev" : v)};
  }
}
