#ifndef DRIFTWATCH_CLIBSSH2_SHIM_H
#define DRIFTWATCH_CLIBSSH2_SHIM_H
// libssh2's convenience calls are C macros Swift cannot see; the ones SSHTransport needs are
// wrapped here as static inline functions (after GRDB's GRDBSQLite/shim.h).
#include <libssh2.h>
#include <libssh2_sftp.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <netdb.h>
#include <sys/socket.h>

// Constants that are macros (or enum-like macros of a type Swift imports awkwardly).
static const int DW_ERROR_EAGAIN = LIBSSH2_ERROR_EAGAIN;
static const int DW_BLOCK_INBOUND = LIBSSH2_SESSION_BLOCK_INBOUND;
static const int DW_BLOCK_OUTBOUND = LIBSSH2_SESSION_BLOCK_OUTBOUND;
static const int DW_METHOD_KEX = LIBSSH2_METHOD_KEX;
static const int DW_METHOD_HOSTKEY = LIBSSH2_METHOD_HOSTKEY;
static const int DW_METHOD_CRYPT_CS = LIBSSH2_METHOD_CRYPT_CS;
static const int DW_METHOD_CRYPT_SC = LIBSSH2_METHOD_CRYPT_SC;
static const int DW_METHOD_MAC_CS = LIBSSH2_METHOD_MAC_CS;
static const int DW_METHOD_MAC_SC = LIBSSH2_METHOD_MAC_SC;
static const int DW_STREAM_STDERR = SSH_EXTENDED_DATA_STDERR;
static const unsigned long DW_FXF_READ = LIBSSH2_FXF_READ;
static const int DW_SFTP_OPENFILE = LIBSSH2_SFTP_OPENFILE;

static inline LIBSSH2_SESSION *dw_session_init(void) {
    return libssh2_session_init_ex(NULL, NULL, NULL, NULL);
}

static inline LIBSSH2_CHANNEL *dw_channel_open_session(LIBSSH2_SESSION *session) {
    return libssh2_channel_open_ex(session, "session", sizeof("session") - 1,
                                   LIBSSH2_CHANNEL_WINDOW_DEFAULT,
                                   LIBSSH2_CHANNEL_PACKET_DEFAULT, NULL, 0);
}

static inline int dw_channel_exec(LIBSSH2_CHANNEL *channel, const char *command, unsigned int length) {
    return libssh2_channel_process_startup(channel, "exec", sizeof("exec") - 1, command, length);
}

static inline int dw_channel_shell(LIBSSH2_CHANNEL *channel) {
    return libssh2_channel_process_startup(channel, "shell", sizeof("shell") - 1, NULL, 0);
}

static inline int dw_channel_pty(LIBSSH2_CHANNEL *channel, const char *term, int width, int height) {
    return libssh2_channel_request_pty_ex(channel, term, (unsigned int)strlen(term), NULL, 0,
                                          width, height, 0, 0);
}

static inline ssize_t dw_channel_read(LIBSSH2_CHANNEL *channel, int stream, char *buffer, size_t size) {
    return libssh2_channel_read_ex(channel, stream, buffer, size);
}

static inline ssize_t dw_channel_write(LIBSSH2_CHANNEL *channel, const char *buffer, size_t size) {
    return libssh2_channel_write_ex(channel, 0, buffer, size);
}

static inline int dw_session_disconnect(LIBSSH2_SESSION *session, const char *reason) {
    return libssh2_session_disconnect_ex(session, SSH_DISCONNECT_BY_APPLICATION, reason, "");
}

static inline LIBSSH2_SFTP_HANDLE *dw_sftp_open_read(LIBSSH2_SFTP *sftp, const char *path, unsigned int length) {
    return libssh2_sftp_open_ex(sftp, path, length, LIBSSH2_FXF_READ, 0, LIBSSH2_SFTP_OPENFILE);
}

static inline int dw_sftp_close(LIBSSH2_SFTP_HANDLE *handle) {
    return libssh2_sftp_close_handle(handle);
}

/// The last error message of a session, copied into `buffer` (always NUL-terminated).
static inline int dw_last_error(LIBSSH2_SESSION *session, char *buffer, size_t size) {
    char *message = NULL;
    int length = 0;
    int code = libssh2_session_last_error(session, &message, &length, 0);
    if (size > 0) {
        size_t n = 0;
        if (message != NULL && length > 0) {
            n = (size_t)length < size - 1 ? (size_t)length : size - 1;
            memcpy(buffer, message, n);
        }
        buffer[n] = '\0';
    }
    return code;
}

// Keyboard-interactive: libssh2 calls back with the prompts; the answer (the password) is
// reached through the session's abstract pointer, set by SSHTransport just before the call.
// Responses are allocated with malloc: a session made by dw_session_init frees them with free.
typedef struct dw_kbdint_answer {
    const char *password;
    unsigned int length;
    int rounds;           // how many times the server asked; answers stop after 3 rounds
    int prompts_answered; // prompts answered with the password in total
} dw_kbdint_answer;

static void dw_kbdint_callback(const char *name, int name_len, const char *instruction,
                               int instruction_len, int num_prompts,
                               const LIBSSH2_USERAUTH_KBDINT_PROMPT *prompts,
                               LIBSSH2_USERAUTH_KBDINT_RESPONSE *responses, void **abstract) {
    (void)name; (void)name_len; (void)instruction; (void)instruction_len; (void)prompts;
    dw_kbdint_answer *answer = abstract != NULL ? (dw_kbdint_answer *)*abstract : NULL;
    if (answer != NULL) answer->rounds += 1;
    for (int i = 0; i < num_prompts; i++) {
        responses[i].text = NULL;
        responses[i].length = 0;
        if (answer == NULL || answer->rounds > 3) continue;
        char *copy = (char *)malloc(answer->length + 1);
        if (copy == NULL) continue;
        memcpy(copy, answer->password, answer->length);
        copy[answer->length] = '\0';
        responses[i].text = copy;
        responses[i].length = answer->length;
        answer->prompts_answered += 1;
    }
}

static inline int dw_userauth_kbdint(LIBSSH2_SESSION *session, const char *user, unsigned int user_len,
                                     dw_kbdint_answer *answer) {
    void **abstract = libssh2_session_abstract(session);
    *abstract = answer;
    int rc = libssh2_userauth_keyboard_interactive_ex(session, user, user_len, dw_kbdint_callback);
    if (rc != LIBSSH2_ERROR_EAGAIN) *abstract = NULL;
    return rc;
}

#endif
