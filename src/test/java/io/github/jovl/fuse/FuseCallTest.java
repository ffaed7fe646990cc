package io.github.jovl.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FsException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class FuseCallTest {
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void successIsZeroOrTheCount() {
        FuseCall call = new FuseCall(OpLog.NONE, err);
        assertEquals(0, call.run("op", "/p", () -> { }));
        assertEquals(42, call.count("op", "/p", () -> 42));
    }

    @Test
    void anFsExceptionBecomesItsNegativeErrnoQuietly() {
        FuseCall call = new FuseCall(OpLog.NONE, err);
        assertEquals(-Errno.ENOENT.number, call.run("getattr", "/x", () -> {
            throw FsException.of(Errno.ENOENT, "/x");
        }));
        assertEquals(-Errno.ERANGE.number, call.count("getxattr", "/x", () -> {
            throw FsException.of(Errno.ERANGE, "/x");
        }));
        assertEquals("", err());
        assertEquals(0, call.unexpectedErrors());
    }

    @Test
    void nothingEscapesAndBugsAreReported() {
        FuseCall call = new FuseCall(OpLog.NONE, err);
        assertEquals(-Errno.EIO.number, call.run("read", "/f", () -> {
            throw new NullPointerException("bug");
        }));
        assertEquals(-Errno.EIO.number, call.run("read", "/f", () -> {
            throw new StackOverflowError();
        }));
        assertEquals(-Errno.ENOMEM.number, call.count("read", "/f", () -> {
            throw new OutOfMemoryError();
        }));
        assertEquals(-Errno.ENOENT.number, call.run("open", "/f", () -> {
            throw new NoSuchFileException("/f");
        }));
        assertEquals(4, call.unexpectedErrors());
        assertTrue(err().contains("internal error in read /f: java.lang.NullPointerException: bug"), err());
    }

    @Test
    void aCauseCycleIsEioNotAStackOverflow() {
        FuseCall call = new FuseCall(OpLog.NONE, err);
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertEquals(-Errno.EIO.number, call.run("op", "/p", () -> {
            throw a;
        }));
    }

    @Test
    void reportsStopAfterALimit() {
        FuseCall call = new FuseCall(OpLog.NONE, err);
        for (int i = 0; i < 100; i++) {
            call.run("op", "/p" + i, () -> {
                throw new IllegalStateException("bug");
            });
        }
        assertEquals(100, call.unexpectedErrors());
        assertEquals(20, err().split("internal error in", -1).length - 1);
        assertTrue(err().contains("further internal errors are not printed"));
    }

    @Test
    void debugLogNamesOpPathAndOutcome() {
        FuseCall call = new FuseCall(OpLog.to(err), err);
        call.run("unlink", "/gone", () -> {
            throw FsException.of(Errno.ENOENT, "/gone");
        });
        call.count("read", "/f", () -> 7);
        assertTrue(err().contains("jovl: unlink /gone -> ENOENT ("), err());
        assertTrue(err().contains("jovl: read /f -> 7 ("), err());
    }
}
