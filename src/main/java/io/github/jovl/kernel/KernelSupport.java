package io.github.jovl.kernel;

import java.util.Set;

/**
 * What a probe found out about kernel overlayfs on this host, for one upper filesystem.
 *
 * @param usable a kernel overlay can be mounted here by this process
 * @param reason why not, in words for the one-line fallback message (null when usable)
 * @param userxattr the mount needs the userxattr option (user.overlay.* markers)
 * @param chardevWhiteouts this process may make 0/0 char devices, which the kernel needs for whiteouts
 * @param features optional kernel features that mounted: redirect_dir, index, metacopy, data-only layers
 */
public record KernelSupport(boolean usable, String reason, boolean userxattr, boolean chardevWhiteouts,
                            Set<String> features) {
    public static KernelSupport no(String reason) {
        return new KernelSupport(false, reason, false, false, Set.of());
    }
}
