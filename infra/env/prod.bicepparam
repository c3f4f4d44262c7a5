// Production: zone-redundant storage for the ledger, longer log retention, the longest vault recovery window.
using '../main.bicep'

param environmentName = 'prod'
param maximumInstanceCount = 100
param instanceMemoryMB = 2048
param storageSku = 'Standard_ZRS'
param logRetentionInDays = 90
param keyVaultSoftDeleteRetentionInDays = 90
// The client id of the API's app registration in Entra ID (docs/auth.md); set AUTH_API_CLIENT_ID before deploying.
param authAudience = readEnvironmentVariable('AUTH_API_CLIENT_ID')
