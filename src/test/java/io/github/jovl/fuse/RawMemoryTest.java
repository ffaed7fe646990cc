package io.github.jovl.fuse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.jovl.fs.Stat;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;
import org.junit.jupiter.api.Test;
import ru.serce.jnrfuse.struct.FileStat;

/** The by-address writers give libfuse exactly the bytes jnr-fuse's structs would. */
class RawMemoryTest {
    private static final Runtime RT = Runtime.getSystemRuntime();

    @Test
    void aStatIsWrittenByteForByteAsJnrFuseWritesIt() {
        int size = Struct.size(FileStat.of(Memory.allocateDirect(RT, 256, true)));
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            Stat s = new Stat(r.nextLong(), r.nextLong(), r.nextInt(), r.nextLong(0, 1L << 32), r.nextInt(),
                    r.nextInt(), r.nextLong(), r.nextLong(), r.nextLong(), r.nextInt(1, 1 << 20),
                    r.nextLong(), r.nextLong(), i == 0 ? -1 : r.nextLong());
            Pointer want = Memory.allocateDirect(RT, size, true);
            StatCopy.into(s, FileStat.of(want));
            Pointer got = Memory.allocateDirect(RT, size, true);
            RawMemory.putStat(s, got.address());
            assertArrayEquals(bytes(want, size), bytes(got, size), s.toString());
        }
    }

    @Test
    void stringsDecodeAsJnrDecodesThem() {
        assertNull(RawMemory.string(0));
        for (String s : new String[] {"", "/", "/a/b", "/d\u00e9j\u00e0/\u65e5\u672c", "/" + "x".repeat(4000)}) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            Pointer p = Memory.allocateDirect(RT, b.length + 1, true);
            p.put(0, b, 0, b.length);
            p.putByte(b.length, (byte) 0);
            assertEquals(p.getString(0), RawMemory.string(p.address()));
        }
    }

    private static byte[] bytes(Pointer p, int n) {
        byte[] b = new byte[n];
        p.get(0, b, 0, n);
        return b;
    }
}
