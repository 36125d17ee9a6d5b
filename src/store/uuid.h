// Random (version 4) UUIDs for workspace ids.
#pragma once

#include <string>

namespace rockpool {

std::string NewUuidV4();  // "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", lowercase

}  // namespace rockpool
