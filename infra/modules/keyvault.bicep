// The vault for the Stripe secret key and webhook signing secret. RBAC mode (no access policies), soft delete and
// purge protection on. The template creates no secrets: the operator sets them (docs/deployment.md), so their values
// never pass through a template, a parameter file or a deployment record.

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Name of the vault (3-24 letters, digits and dashes, globally unique).')
@minLength(3)
@maxLength(24)
param keyVaultName string

@description('Days a deleted vault stays recoverable (and its name reserved). Cannot be changed after creation.')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    // Once on it cannot be turned off: a deleted vault can then only be recovered, never purged early.
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

@description('Name of the vault.')
output keyVaultName string = vault.name
