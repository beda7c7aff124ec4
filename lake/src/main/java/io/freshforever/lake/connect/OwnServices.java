package io.freshforever.lake.connect;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs code that looks services up through the thread's context class loader (Beam's options and
 * file systems, and the Jackson modules Beam's options register) so that it finds the plugin's own
 * services only. A Connect worker's plugin class loader also lists the worker's {@code
 * META-INF/services} files: the worker's Jackson modules, built against the worker's Jackson, which
 * are "not a subtype" of the plugin's and fail Beam's initialisation.
 */
final class OwnServices extends ClassLoader {
  private final List<String> ownJars = new ArrayList<>();

  private OwnServices(URLClassLoader plugin) {
    super(plugin);
    for (URL jar : plugin.getURLs()) {
      ownJars.add("jar:" + jar.toExternalForm() + "!/");
    }
  }

  /** {@code action} with this class loader as the thread's context class loader, where the plugin has one of its own. */
  static <T> T call(Supplier<T> action) {
    ClassLoader plugin = OwnServices.class.getClassLoader();
    if (!(plugin instanceof URLClassLoader own) || plugin == ClassLoader.getSystemClassLoader()) {
      return action.get(); // not loaded as a plugin: one class path, nothing to hide
    }
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    thread.setContextClassLoader(new OwnServices(own));
    try {
      return action.get();
    } finally {
      thread.setContextClassLoader(before);
    }
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    if (!name.startsWith("META-INF/services/")) {
      return super.getResources(name);
    }
    List<URL> own = new ArrayList<>();
    for (URL url : Collections.list(getParent().getResources(name))) {
      if (ownJars.stream().anyMatch(jar -> url.toExternalForm().startsWith(jar))) {
        own.add(url);
      }
    }
    return Collections.enumeration(own);
  }
}
