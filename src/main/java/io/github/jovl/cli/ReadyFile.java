package io.github.jovl.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * How a background daemon tells the `jovl mount` that started it how the mount went: one line in a file the
 * parent made, "ready" or "error MESSAGE". The line is written beside the file and renamed over it, so the
 * parent, which polls, never reads half a line.
 */
final class ReadyFile {
    static final String READY = "ready";
    static final String ERROR = "error ";

    private ReadyFile() {
    }

    static void ready(Path file) throws IOException {
        write(file, READY);
    }

    static void error(Path file, String message) {
        try {
            write(file, ERROR + message.replace('\n', ' '));
        } catch (IOException e) {
            // the parent then reports the exit status and our stderr, which also holds the message
        }
    }

    private static void write(Path file, String line) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, line + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The status line, or null while there is none yet. */
    static String read(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8);
            return s.endsWith("\n") ? s.substring(0, s.length() - 1) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
