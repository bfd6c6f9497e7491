// Preloaded with `node --import ./no-network.mjs`: any name lookup or connection throws, so a
// JSON-LD document whose context had to be fetched fails loudly instead of reading the web.
import dns from 'node:dns';
import net from 'node:net';

const refuse = (what) => (...args) => {
  throw new Error(`a JSON-LD reader tried to reach the network (${what})`);
};
dns.lookup = refuse('dns.lookup');
dns.promises.lookup = refuse('dns.promises.lookup');
net.Socket.prototype.connect = refuse('net connect');
