/* libmicrohttpd with fixed-argument wrappers for its variadic entry points,
 * which Swift cannot call. */
#include <stdarg.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <microhttpd.h>

/* Internal thread pool + epoll, request-completed callback, timeouts and limits,
 * bound to one IPv4 address. */
static inline struct MHD_Daemon *mhd_shim_start(unsigned int flags,
                                                const struct sockaddr_in *addr,
                                                MHD_AccessHandlerCallback handler, void *handler_cls,
                                                MHD_RequestCompletedCallback completed, void *completed_cls,
                                                unsigned int pool_size, unsigned int timeout_seconds,
                                                unsigned int connection_limit) {
  return MHD_start_daemon(flags, ntohs(addr->sin_port), NULL, NULL, handler, handler_cls,
                          MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)addr,
                          MHD_OPTION_NOTIFY_COMPLETED, completed, completed_cls,
                          MHD_OPTION_THREAD_POOL_SIZE, pool_size,
                          MHD_OPTION_CONNECTION_TIMEOUT, timeout_seconds,
                          MHD_OPTION_CONNECTION_LIMIT, connection_limit,
                          MHD_OPTION_END);
}

/* The port the daemon listens on (useful when bound to port 0). */
static inline uint16_t mhd_shim_bound_port(struct MHD_Daemon *d) {
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  return info ? info->port : 0;
}

/* The client's address as text (IPv4 or IPv6); empty when unknown. */
static inline void mhd_shim_client_address(struct MHD_Connection *c, char *buf, socklen_t len) {
  buf[0] = '\0';
  const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (!info || !info->client_addr) return;
  const struct sockaddr *sa = info->client_addr;
  if (sa->sa_family == AF_INET)
    inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, len);
  else if (sa->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf, len);
}

/* The connection's socket, or -1. */
static inline int mhd_shim_connection_fd(struct MHD_Connection *c) {
  const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
  return info ? info->connect_fd : -1;
}
