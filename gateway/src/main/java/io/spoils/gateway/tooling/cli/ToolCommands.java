package io.spoils.gateway.tooling.cli;

import io.spoils.gateway.cli.CommandSource;
import java.util.List;

/**
 * The tools jar's commands for {@code bin/spoils}: training and evaluation, registered through
 * {@code META-INF/services/io.spoils.gateway.cli.CommandSource}.
 */
public final class ToolCommands implements CommandSource {

  @Override
  public List<Object> commands() {
    return List.of(new TrainTreesCommand(), new EvaluateGradingCommand(),
        new LabelLevelsCommand(), new EvaluateSeriesCommand());
  }
}
