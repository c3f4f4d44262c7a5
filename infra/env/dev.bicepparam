// Development: smallest footprint. Deploy with docs/deployment.md.
using '../main.bicep'

param environmentName = 'dev'
param maximumInstanceCount = 40
param instanceMemoryMB = 2048
param storageSku = 'Standard_LRS'
param logRetentionInDays = 30
// Short, so that a torn-down dev vault frees its name after a week (purge protection forbids purging it sooner).
param keyVaultSoftDeleteRetentionInDays = 7
// The client id of the API's app registration in Entra ID (docs/auth.md); set AUTH_API_CLIENT_ID before deploying.
param authAudience = readEnvironmentVariable('AUTH_API_CLIENT_ID')
