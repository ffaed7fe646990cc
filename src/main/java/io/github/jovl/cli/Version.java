package io.github.jovl.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** jovl's version from the jar (Maven writes pom.properties into it), and what it runs on. */
final class Version implements CommandLine.IVersionProvider {
    private static final String POM = "/META-INF/maven/io.github.jovl/jovl/pom.properties";

    static String number() {
        try (InputStream in = Version.class.getResourceAsStream(POM)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through: a development build run from target/classes
        }
        return "unknown (not run from jovl.jar)";
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "jovl " + number(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
            "FUSE backend: libfuse2 through jnr-fuse; kernel overlayfs semantics",
        };
    }
}
