package io.github.jovl.fuse;

import io.github.jovl.fs.Errno;
import java.io.PrintStream;

/** One line per FUSE operation for {@code jovl mount -d}: what was asked, the outcome, and how long it took. */
interface OpLog {
    OpLog NONE = new OpLog() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public void done(String op, String path, int result, long startNanos) {
        }
    };

    boolean enabled();

    void done(String op, String path, int result, long startNanos);

    static OpLog to(PrintStream out) {
        return new OpLog() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public void done(String op, String path, int result, long startNanos) {
                long us = (System.nanoTime() - startNanos) / 1000;
                String outcome = result >= 0 ? Integer.toString(result) : Errno.of(-result).name();
                out.println("jovl: " + op + " " + path + " -> " + outcome + " (" + us + " us)");
            }
        };
    }
}
