package io.github.jovl.union;

import java.util.List;

/**
 * Why a path looks the way it does in the merged view: which layer serves it, and for every layer what it holds
 * there and why that does or does not show.
 *
 * @param servedBy the index of the layer that serves the path (0 is the upper when there is one), or -1
 * @param copiedUp for an object in the upper: "copied up (inode N)", "new in the upper", or null
 * @param contributors for a directory, the layers whose entries merge into it, top first
 */
public record Explanation(String path, boolean visible, String type, int servedBy, List<LayerView> layers,
                          String copiedUp, List<Integer> contributors) {

    /**
     * @param role "upper" or "lower N" (1 is the top lower)
     * @param holds what the layer has at the path: "file", "directory", "whiteout (char 0/0)"... or "nothing"
     * @param verdict "serves the path", "merged", or why it is hidden
     */
    public record LayerView(int index, String role, String root, String holds, String verdict) {
    }
}
