package io.freshforever.runners;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The command line of a setting is derived from its pipeline option, declared once with its
 * {@code @Description} and default: a command that names an options interface ({@link Command})
 * takes every option of ours in it as {@code --name value} or {@code --name=value}, and lists them
 * in {@code --help}. Beam's own options (e.g. {@code --runner}, {@code --flinkMaster}, {@code
 * --tempLocation}) pass through unmatched, in either form too ({@link #beamForm}).
 */
public final class PipelineFlags implements IModelTransformer {
  /** A command whose settings are those of a pipeline options interface. */
  interface Command {
    Class<? extends PipelineOptions> optionsType();
  }

  private static final String OURS = "io.freshforever.";

  /** Marks the options this class adds, apart from the command's own. */
  private record Derived(Method getter) {}

  @Override
  public CommandSpec transform(CommandSpec spec) {
    Class<? extends PipelineOptions> type = ((Command) spec.userObject()).optionsType();
    for (Method getter : getters(type)) {
      spec.addOption(option(getter));
    }
    return spec;
  }

  /**
   * The pipeline options given on the command line, as Beam parses them ({@code --name=value}), in
   * the order given.
   */
  static List<String> given(CommandSpec spec) {
    ParseResult parsed = spec.commandLine().getParseResult();
    List<String> args = new ArrayList<>();
    for (OptionSpec option : parsed.matchedOptions()) {
      if (option.userObject() instanceof Derived) {
        for (String value : parsed.matchedOption(option.longestName()).<String>stringValues()) {
          args.add(option.longestName() + "=" + value);
        }
      }
    }
    return args;
  }

  /** What to give Beam: the derived options given, then Beam's own ({@code unmatched}). */
  static List<String> args(CommandSpec spec, List<String> unmatched) {
    List<String> args = given(spec);
    args.addAll(beamForm(unmatched));
    return args;
  }

  /**
   * Beam's own options as a person types them, in Beam's form: {@code --flinkMaster host:8081}
   * becomes {@code --flinkMaster=host:8081} (Beam takes only the latter); a flag alone stays a flag.
   */
  static List<String> beamForm(List<String> args) {
    List<String> joined = new ArrayList<>();
    for (String arg : args) {
      int last = joined.size() - 1;
      if (!arg.startsWith("--") && last >= 0 && joined.get(last).startsWith("--") && !joined.get(last).contains("=")) {
        joined.set(last, joined.get(last) + "=" + arg);
      } else {
        joined.add(arg);
      }
    }
    return joined;
  }

  private static OptionSpec option(Method getter) {
    String name = propertyName(getter);
    boolean flag = getter.getReturnType() == boolean.class || getter.getReturnType() == Boolean.class;
    OptionSpec.Builder option =
        OptionSpec.builder("--" + name)
            .description(description(getter))
            .userObject(new Derived(getter))
            .paramLabel("<" + name + ">")
            .type(String.class);
    if (flag) {
      option.arity("0..1").fallbackValue("true");
    } else {
      option.arity("1");
    }
    return option.build();
  }

  private static String description(Method getter) {
    Description described = getter.getAnnotation(Description.class);
    String text = described == null ? "" : described.value();
    String fallback = defaultOf(getter);
    if (getter.isAnnotationPresent(Validation.Required.class) && !text.contains("Required")) {
      text += " Required.";
    } else if (fallback != null && !text.contains("Default")) {
      text += " (default: " + fallback + ")";
    }
    return text.trim();
  }

  private static String defaultOf(Method getter) {
    if (getter.isAnnotationPresent(Default.String.class)) {
      return getter.getAnnotation(Default.String.class).value();
    } else if (getter.isAnnotationPresent(Default.Integer.class)) {
      return String.valueOf(getter.getAnnotation(Default.Integer.class).value());
    } else if (getter.isAnnotationPresent(Default.Long.class)) {
      return String.valueOf(getter.getAnnotation(Default.Long.class).value());
    } else if (getter.isAnnotationPresent(Default.Boolean.class)) {
      return String.valueOf(getter.getAnnotation(Default.Boolean.class).value());
    } else if (getter.isAnnotationPresent(Default.Double.class)) {
      return String.valueOf(getter.getAnnotation(Default.Double.class).value());
    } else if (getter.isAnnotationPresent(Default.Enum.class)) {
      return getter.getAnnotation(Default.Enum.class).value();
    } else if (getter.isAnnotationPresent(Default.Class.class)) {
      return getter.getAnnotation(Default.Class.class).value().getSimpleName();
    }
    return null;
  }

  /** Our getters of {@code type} and its parents, sorted by name for the help. */
  private static List<Method> getters(Class<?> type) {
    Set<String> seen = new LinkedHashSet<>();
    List<Method> getters = new ArrayList<>();
    for (Method method : type.getMethods()) {
      if (method.getDeclaringClass().getName().startsWith(OURS) && isGetter(method) && seen.add(propertyName(method))) {
        getters.add(method);
      }
    }
    getters.sort(Comparator.comparing(PipelineFlags::propertyName));
    return getters;
  }

  private static boolean isGetter(Method method) {
    return method.getParameterCount() == 0
        && !java.lang.reflect.Modifier.isStatic(method.getModifiers())
        && (method.getName().startsWith("get") || method.getName().startsWith("is"))
        && Arrays.stream(method.getDeclaringClass().getMethods())
            .anyMatch(m -> m.getName().equals("set" + method.getName().substring(method.getName().startsWith("get") ? 3 : 2)));
  }

  private static String propertyName(Method getter) {
    String bare = getter.getName().substring(getter.getName().startsWith("get") ? 3 : 2);
    return Character.toLowerCase(bare.charAt(0)) + bare.substring(1);
  }
}
