// A real PostgreSQL for store tests. When ROCKPOOL_TEST_POSTGRES names the socket directory of
// a running cluster (scripts/test.sh starts one for the suite and stops it afterwards), tests
// use it. Otherwise the first call starts a cluster of this process's own in a temporary
// directory (initdb and pg_ctl from Debian's postgresql package, as the postgres user when run
// as root), listening only on a unix socket there, and stops it when the process exits.
#pragma once

#include <string>

#include "core/status.h"

namespace rockpool::testing {

// Creates an empty database and returns its URL (postgresql://…?host=<socket dir>).
Result<std::string> NewTestDatabase();

}  // namespace rockpool::testing
