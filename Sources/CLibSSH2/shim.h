#ifndef DRIFTWATCH_CLIBSSH2_SHIM_H
#define DRIFTWATCH_CLIBSSH2_SHIM_H
// libssh2's convenience calls are C macros Swift cannot see; the ones SSHTransport needs are
// wrapped here as static inline functions (after GRDB's GRDBSQLite/shim.h).
#include <libssh2.h>
#include <libssh2_sftp.h>

#endif
