// Replaces cross-fetch in the bundle. The SDK's key resolver downloads PathCheck's public trust registry when a kid is
// unknown; interop tests must judge only the certificate they pass in, and must never touch the network.
'use strict';
module.exports = function offlineFetch(url) {
  return Promise.reject(new Error('network disabled in the VaxCert peer (' + url + ')'));
};
module.exports.default = module.exports;
