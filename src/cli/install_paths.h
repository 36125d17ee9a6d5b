// Where Rockpool's files are, found from the executable's own place and never from a source
// checkout: installed as <prefix>/bin/rockpool, its data is <prefix>/share/rockpool; in the
// build tree (build/rockpool), cmake lays build/share/rockpool with links to the sources.
#pragma once

#include <string>

namespace rockpool {

// ROCKPOOL_DATA_DIR when set; else <exe dir>/../share/rockpool when the executable sits in a
// bin/ folder; else <exe dir>/share/rockpool.
std::string DataDir();
// The built dashboard (index.html and its assets).
std::string DashboardDir();
// The workspace image recipe.
std::string RecipeDir();
// The executable on disk now: after a rebuild replaced it, the new file, not " (deleted)".
std::string ExecutablePath();

}  // namespace rockpool
